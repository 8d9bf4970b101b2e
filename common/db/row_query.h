#pragma once
// Preparing a SELECT into a row buffer, for the statements repositories keep
// with their connection (db::Cached, statement_cache.h):
//
//   struct FindQuery {
//     long long id = 0;
//     BookRow row;  // has void Into(soci::statement&) binding its columns
//     soci::statement st;
//     explicit FindQuery(soci::session& s) : st(s) {
//       db::PrepareRowQuery(st, row, kFind, soci::use(id, "id"));
//     }
//   };
//
// Includes SOCI: for repository .cpp files only.

#include <soci/soci.h>

#include <string>
#include <utility>

namespace bookstore::db {

// Binds `row`'s columns and `uses` (soci::use(...) of storage that outlives
// `st`) to `st` and prepares `sql`. Throws soci::soci_error.
template <class Row, class... Uses>
void PrepareRowQuery(soci::statement& st, Row& row, const std::string& sql, Uses&&... uses) {
  row.Into(st);
  (st.exchange(std::forward<Uses>(uses)), ...);
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
}

}  // namespace bookstore::db
