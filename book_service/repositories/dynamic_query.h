#pragma once
// A SELECT whose SQL is built at run time (filters), with its row buffer
// and bound values, for db::Cached keyed by the SQL text:
//
//   db::Cached<DynamicQuery<BookRow>> q(sql, text, params);  // prepared once per text
//   q->Execute(params);
//   while (q->st.fetch()) out.push_back(q->row.Get());
//
// Row has `void Into(soci::statement&)` binding its columns. Not thread-safe
// (one connection's statement).

#include <soci/soci.h>

#include <string>

#include "book_service/repositories/sql_util.h"
#include "common/db/row_query.h"

namespace bookstore::book {

template <class Row>
struct DynamicQuery {
  Row row;
  ParamList params;  // this statement's copy of the values (bound)
  soci::statement st;

  // `shape` gives the placeholders of `text` (and first values).
  DynamicQuery(soci::session& sql, const std::string& text, const ParamList& shape)
      : params(shape), st(sql) {
    params.BindTo(st);
    db::PrepareRowQuery(st, row, text);
  }

  // Executes with `values` (the same placeholders); rows come from st.fetch().
  void Execute(const ParamList& values) {
    params.SetValues(values);
    st.execute(false);
  }
};

}  // namespace bookstore::book
