// Migration 006 (stored Unicode case foldings of book names and publishers)
// against a database that already holds books, in both dialects: the code
// step folds the existing non-ASCII rows, the search index and the
// PostgreSQL indexes hold and serve the new keys.

#include <soci/soci.h>

#include "common/db/migrations.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using SearchFoldMigrationTest = DialectTest;

constexpr int kBeforeFold = 5;

long long InsertBook(soci::session& s, const std::string& code, const std::string& name,
                     const std::string& publisher) {
  long long id = 0;
  s << "INSERT INTO books (code, name, publisher, quantity, sell_price_cents, created_at, "
       "updated_at) VALUES (:c, :n, :p, 5, 1195, 1, 1) RETURNING id",
      soci::use(code), soci::use(name), soci::use(publisher), soci::into(id);
  return id;
}

// name_fold and publisher_fold of book `id`, "NULL" for a null.
std::pair<std::string, std::string> Folds(soci::session& s, long long id) {
  std::string name, publisher;
  soci::indicator name_ind, publisher_ind;
  s << "SELECT name_fold, publisher_fold FROM books WHERE id = :id", soci::use(id),
      soci::into(name, name_ind), soci::into(publisher, publisher_ind);
  return {name_ind == soci::i_ok ? name : "NULL", publisher_ind == soci::i_ok ? publisher : "NULL"};
}

// PostgreSQL's plan of `query`, one line per plan row.
std::string Plan(soci::session& s, const std::string& query) {
  std::string plan, line;
  soci::statement st = (s.prepare << "EXPLAIN " + query, soci::into(line));
  st.execute();
  while (st.fetch()) plan += line + "\n";
  return plan;
}

TEST_P(SearchFoldMigrationTest, FoldsExistingRowsAndIndexesTheirKeys) {
  auto db = test_db_->Open();
  ASSERT_EQ(db::Migrate(*db, kBeforeFold), kBeforeFold);
  auto& s = db->Session();
  const long long umlaut = InsertBook(s, "OEK-1", "\xc3\x96konomie", "\xc3\x96KO Verlag");
  const long long plain = InsertBook(s, "PLN-1", "Plain Title", "Plain Press");
  const long long mixed = InsertBook(s, "MIX-1", "Plain Again",
                                     "Stra\xc3\x9f"
                                     "e");

  EXPECT_EQ(db::Migrate(*db, 6), 1);
  EXPECT_EQ(Folds(s, umlaut),
            std::make_pair(std::string("\xc3\xb6konomie"), std::string("\xc3\xb6ko verlag")));
  EXPECT_EQ(Folds(s, plain), std::make_pair(std::string("NULL"), std::string("NULL")));
  EXPECT_EQ(Folds(s, mixed), std::make_pair(std::string("NULL"), std::string("strasse")));

  if (IsSqlite()) {
    // The trigram index holds the keys: old ASCII rows as before, the
    // folded ones re-indexed by the update trigger, and stays consistent.
    long long found = 0;
    s << "SELECT rowid FROM books_search WHERE books_search MATCH '\"\xc3\xb6konomie\"'",
        soci::into(found);
    EXPECT_EQ(found, umlaut);
    s << "SELECT rowid FROM books_search WHERE books_search MATCH '\"strasse\"'", soci::into(found);
    EXPECT_EQ(found, mixed);
    s << "SELECT rowid FROM books_search WHERE books_search MATCH '\"plain press\"'",
        soci::into(found);
    EXPECT_EQ(found, plain);
    long long stale = -1;
    s << "SELECT count(*) FROM books_search WHERE books_search MATCH '\"\xc3\x96konomie\"'",
        soci::into(stale);
    EXPECT_EQ(stale, 0);
    EXPECT_NO_THROW(s << "INSERT INTO books_search (books_search, rank) "
                         "VALUES ('integrity-check', 0)");
  } else {
    // The planner may use the trigram and publisher indexes for the
    // repository's exact expressions.
    s << "SET enable_seqscan = off";
    const std::string by_name =
        Plan(s, "SELECT id FROM books WHERE coalesce(name_fold, lower(name)) LIKE '%konom%'");
    EXPECT_NE(by_name.find("books_name_key_trgm"), std::string::npos) << by_name;
    const std::string by_publisher = Plan(
        s, "SELECT id FROM books WHERE coalesce(publisher_fold, lower(publisher)) = 'strasse'");
    EXPECT_NE(by_publisher.find("books_publisher_key"), std::string::npos) << by_publisher;
    s << "RESET enable_seqscan";
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, SearchFoldMigrationTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

}  // namespace
}  // namespace bookstore::test
