#pragma once
// Code steps of schema migrations: work a migration's SQL cannot do in
// every dialect (Unicode case folding), run right after that script in the
// same transaction by db::Migrate.

#include <string_view>

namespace soci {
class session;
}

namespace bookstore::db {

using MigrationStep = void (*)(soci::session& session);

// The step that follows migration `name` ("006_search_fold"), or nullptr.
MigrationStep StepAfter(std::string_view name);

// 006_search_fold: sets books.name_fold / publisher_fold to the case
// folding of every name or publisher that is not plain ASCII. Idempotent.
void FoldBookSearchKeys(soci::session& session);

}  // namespace bookstore::db
