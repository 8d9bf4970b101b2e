#include "common/db/migration_steps.h"

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "common/case_fold.h"

namespace bookstore::db {
namespace {

struct Folds {
  long long id = 0;
  std::optional<std::string> name, publisher;  // StoredFolding of each
};

}  // namespace

void FoldBookSearchKeys(soci::session& session) {
  // Collected first: the updates must not run under the open SELECT.
  std::vector<Folds> rows;
  {
    long long id = 0;
    std::string name, publisher;
    soci::indicator publisher_ind = soci::i_ok;
    soci::statement st = (session.prepare << "SELECT id, name, publisher FROM books",
                          soci::into(id), soci::into(name), soci::into(publisher, publisher_ind));
    st.execute();
    while (st.fetch()) {
      Folds f{id, StoredFolding(name),
              publisher_ind == soci::i_ok ? StoredFolding(publisher) : std::nullopt};
      if (f.name || f.publisher) rows.push_back(std::move(f));
    }
  }
  for (Folds& f : rows) {
    soci::indicator name_ind = f.name ? soci::i_ok : soci::i_null;
    soci::indicator publisher_ind = f.publisher ? soci::i_ok : soci::i_null;
    std::string name = f.name.value_or(""), publisher = f.publisher.value_or("");
    session << "UPDATE books SET name_fold = :n, publisher_fold = :p WHERE id = :id",
        soci::use(name, name_ind), soci::use(publisher, publisher_ind), soci::use(f.id);
  }
}

MigrationStep StepAfter(std::string_view name) {
  if (name == "006_search_fold") return &FoldBookSearchKeys;
  return nullptr;
}

}  // namespace bookstore::db
