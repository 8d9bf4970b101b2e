// BookService + BookRepository on SQLite and PostgreSQL.
#include <gmock/gmock.h>

#include "book_service/domain/representation.h"
#include "book_service/domain/request_decoding.h"
#include "tests/book_service/integration/service_fixture.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;

class BookServiceTest : public ServiceTest {
 protected:
  std::vector<std::string> Codes(const QueryList& params) {
    auto query = ParseBookQuery(params);
    EXPECT_TRUE(query.ok());
    auto page = books_.List(*query);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    for (const auto& b : (*page)->items) out.push_back(b.code);
    return out;
  }
};

TEST_P(BookServiceTest, CreateReadUpdateDelete) {
  BookFields f;
  f.code = "C-1";
  f.name = "Caf\xc3\xa9 stories";
  f.publisher = std::string("Pub");
  f.imported_price_cents = 1055;
  clock_.Set(1'700'000'000);
  auto created = books_.Create(f);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->sell_price_cents, 1161);
  EXPECT_EQ(created->quantity, 0);
  auto got = books_.Get(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Caf\xc3\xa9 stories");
  EXPECT_EQ(*got->publisher, "Pub");
  EXPECT_EQ(*got->imported_price_cents, 1055);
  EXPECT_EQ(got->created_at, 1'700'000'000);

  BookFields patch;
  patch.imported_price_cents = 2000;
  patch.publisher = std::optional<std::string>{};
  clock_.Advance(10);
  auto updated = books_.Update(created->id, patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->sell_price_cents, 1161);
  got = books_.Get(created->id);
  EXPECT_EQ(*got->imported_price_cents, 2000);
  EXPECT_FALSE(got->publisher.has_value());
  EXPECT_EQ(got->updated_at, 1'700'000'010);

  EXPECT_TRUE(books_.Remove(created->id).ok());
  EXPECT_EQ(books_.Get(created->id).error().code, Errc::kNotFound);
  EXPECT_EQ(books_.Remove(created->id).error().code, Errc::kNotFound);
  EXPECT_EQ(books_.Update(created->id, patch).error().code, Errc::kNotFound);
}

// Get reads every column as stored, NULLs included (SQLite: straight from
// the cached statement, db::SqliteReader; PostgreSQL: through SOCI), and its
// statement serves misses and hits alike.
TEST_P(BookServiceTest, GetReadsEveryColumnNullsIncluded) {
  clock_.Set(1'700'000'000);
  BookFields f;
  f.code = "FULL-1";
  f.name = "A \"quoted\" name, longer than a short string";
  f.publisher = std::string("Pub");
  f.quantity = 12;
  f.imported_price_cents = 1055;
  f.sell_price_cents = 1500;
  auto full = books_.Create(f);
  ASSERT_TRUE(full.ok());
  const int64_t bare = NewBook("BARE-1", 0, 999);  // no publisher, no imported price

  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(books_.Get(bare + 1000).error().code, Errc::kNotFound);
    auto got = books_.Get(full->id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->id, full->id);
    EXPECT_EQ(got->code, "FULL-1");
    EXPECT_EQ(got->name, f.name);
    EXPECT_EQ(got->publisher, "Pub");
    EXPECT_EQ(got->quantity, 12);
    EXPECT_EQ(got->imported_price_cents, 1055);
    EXPECT_EQ(got->sell_price_cents, 1500);
    EXPECT_EQ(got->created_at, 1'700'000'000);
    EXPECT_EQ(got->updated_at, 1'700'000'000);

    got = books_.Get(bare);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->code, "BARE-1");
    EXPECT_EQ(got->publisher, std::nullopt);
    EXPECT_EQ(got->quantity, 0);
    EXPECT_EQ(got->imported_price_cents, std::nullopt);
    EXPECT_EQ(got->sell_price_cents, 999);
  }
}

// Show renders what Get reads (every field of a BookView, NULLs included),
// with the imported price for admins only; a miss is NotFound; the
// statement serves a Get and a Show in turn; a change shows at once.
TEST_P(BookServiceTest, ShowRendersTheBookGetReads) {
  BookFields f;
  f.code = "SHOW-1";
  f.name = "A name longer than a short string buffer";
  f.publisher = std::string("A publisher with a long name");
  f.quantity = 7;
  f.imported_price_cents = 1055;
  auto full = books_.Create(f);
  ASSERT_TRUE(full.ok());
  const int64_t bare = NewBook("BARE-2", 0, 999);  // no publisher, no imported price

  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(books_.Show(bare + 1000, true).error().code, Errc::kNotFound);
    for (int64_t id : {full->id, bare}) {
      auto shown = books_.Show(id, true);
      ASSERT_TRUE(shown.ok());
      auto got = books_.Get(id);
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(**shown, BookJson(*got, true));
      const std::string expected =
          id == bare ? R"({"id":)" + std::to_string(bare) +
                           R"(,"code":"BARE-2","name":"Book BARE-2","publisher":null,"quantity":0,)"
                           R"("sell_price":9.99,"imported_price":null})"
                     : R"({"id":)" + std::to_string(full->id) +
                           R"(,"code":"SHOW-1","name":"A name longer than a short string buffer",)"
                           R"("publisher":"A publisher with a long name","quantity":7,)"
                           R"("sell_price":11.61,"imported_price":10.55})";
      EXPECT_EQ(**shown, expected);
      auto shown_public = books_.Show(id, false);
      ASSERT_TRUE(shown_public.ok());
      EXPECT_EQ(**shown_public, BookJson(*got, false));
      EXPECT_EQ((*shown_public)->find("imported_price"), std::string::npos);
    }
  }
  BookFields rename;
  rename.name = "Renamed";
  ASSERT_TRUE(books_.Update(bare, rename).ok());
  auto renamed = books_.Show(bare, false);
  ASSERT_TRUE(renamed.ok());
  EXPECT_NE((*renamed)->find(R"("name":"Renamed")"), std::string::npos) << **renamed;
}

TEST_P(BookServiceTest, DuplicateCodesConflict) {
  NewBook("DUP", 1);
  const auto other = NewBook("OTHER", 1);
  BookFields f;
  f.code = "DUP";
  f.name = "x";
  f.sell_price_cents = 1;
  EXPECT_EQ(books_.Create(f).error().code, Errc::kConflict);
  BookFields rename;
  rename.code = "DUP";
  EXPECT_EQ(books_.Update(other, rename).error().code, Errc::kConflict);
  auto seeded = books_.CreateIfAbsent(f);
  ASSERT_TRUE(seeded.ok());
  EXPECT_FALSE(*seeded);
}

TEST_P(BookServiceTest, ConcurrentCreatesOfOneCodeYieldOneBook) {
  std::atomic<int> ok{0}, conflict{0};
  Parallel(8, [&](int) {
    BookFields f;
    f.code = "RACE";
    f.name = "x";
    f.sell_price_cents = 1;
    auto r = books_.Create(f);
    if (r.ok())
      ++ok;
    else if (r.error().code == Errc::kConflict)
      ++conflict;
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 7);
}

TEST_P(BookServiceTest, SearchFiltersSortsAndPages) {
  NewBook("A-1", 5, 850, "Harbor Press", "The Time Machine");
  NewBook("A-2", 0, 1200, "harbor press", "War of the Worlds");
  NewBook("B_1", 2, 2000, "Lantern", "100% Pure");
  NewBook("C-9", 7, 1599, std::nullopt, "Moby Dick");
  EXPECT_THAT(Codes({{"q", "MACHINE"}}), ElementsAre("A-1"));
  EXPECT_THAT(Codes({{"q", "harbor"}}), ElementsAre("A-1", "A-2"));
  EXPECT_THAT(Codes({{"q", "%"}}), ElementsAre("B_1"));
  EXPECT_THAT(Codes({{"q", "a_1"}}), ElementsAre());
  EXPECT_THAT(Codes({{"q", "!"}}), ElementsAre());
  EXPECT_THAT(Codes({{"publisher", "HARBOR PRESS"}}), ElementsAre("A-1", "A-2"));
  EXPECT_THAT(Codes({{"min_price", "12"}, {"max_price", "15.99"}}), ElementsAre("A-2", "C-9"));
  EXPECT_THAT(Codes({{"in_stock", "true"}}), ElementsAre("A-1", "B_1", "C-9"));
  EXPECT_THAT(Codes({{"sort", "-sell_price"}}), ElementsAre("B_1", "C-9", "A-2", "A-1"));
  EXPECT_THAT(Codes({{"sort", "-quantity"}}), ElementsAre("C-9", "A-1", "B_1", "A-2"));
  EXPECT_THAT(Codes({{"sort", "code"}, {"page", "2"}, {"page_size", "3"}}), ElementsAre("C-9"));
  auto page = books_.List(*ParseBookQuery({{"page_size", "2"}, {"in_stock", "true"}}));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)->total, 3);
  EXPECT_EQ((*page)->items.size(), 2u);
}

TEST_P(BookServiceTest, BookReferencedByAnOrderCannotBeDeleted) {
  const auto book = NewBook("REF", 3);
  const auto user = NewUser("reader");
  ASSERT_TRUE(orders_.Place(user, {{book, 1}}, std::nullopt).ok());
  EXPECT_EQ(books_.Remove(book).error().code, Errc::kConflict);
  EXPECT_TRUE(books_.Get(book).ok());
}

// Canceling gives the stock back, but the order still references the book.
TEST_P(BookServiceTest, BookOfACanceledOrderStillCannotBeDeleted) {
  const auto book = NewBook("REF2", 3);
  const auto user = NewUser("canceler");
  auto placed = orders_.Place(user, {{book, 1}}, std::nullopt);
  ASSERT_TRUE(placed.ok());
  ASSERT_TRUE(orders_.ChangeStatus({user, false}, placed->order_id, "canceled").ok());
  EXPECT_EQ(books_.Get(book)->quantity, 3);
  EXPECT_EQ(books_.Remove(book).error().code, Errc::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Dialects, BookServiceTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::book::test
