// GET /books?q= through the search indexes (SQLite FTS5 trigram, PostgreSQL
// pg_trgm): the same rows as the rule (the Unicode case folding of q is a
// substring of the folding of name, code or publisher) on both engines,
// short queries the index cannot serve included, and the index kept in step
// with inserts, updates and deletes.
#include <gmock/gmock.h>

#include <algorithm>

#include "book_service/domain/request_decoding.h"
#include "common/case_fold.h"
#include "tests/book_service/integration/service_fixture.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Sample {
  std::string code, name;
  std::optional<std::string> publisher;
};

const std::vector<Sample>& Samples() {
  static const std::vector<Sample> samples = {
      {"DRG-1", "The Dragon Reborn", "Tor Books"},
      {"DRG-2", "dragonfly summer", std::nullopt},
      {"SNA-1", "Snapdragon Recipes", "Faber & Faber"},
      {"PCT-1", "50% Off: a Sale Story", "Discount_Press"},
      {"EXC-1", "Wow! Such Book", "Bang!"},
      {"QUO-1", "The \"Quoted\" Title", "O'Reilly"},
      {"CAF-1", "Caf\xc3\xa9 Stories",
       "\xc3\x89"
       "ditions du Seuil"},
      {"AB-1", "ab", std::nullopt},
      {"SEA-1", "Sea of Glass", "Orbit"},
      {"OEK-1", "\xc3\x96konomie der Zukunft", "\xc3\x96KO-VERLAG"},  // Ökonomie, ÖKO
      {"STR-1",
       "Die Stra\xc3\x9f"
       "e",
       std::nullopt},  // Straße
      {"KNG-1", "\xd0\x9a\xd0\x9d\xd0\x98\xd0\x93\xd0\x90",
       "\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91"},  // КНИГА, ΣΟΦΙΑ
  };
  return samples;
}

class BookSearchTest : public ServiceTest {
 protected:
  void SetUp() override {
    for (const auto& s : Samples()) NewBook(s.code, 1, 1000, s.publisher, s.name);
  }

  // Codes of every match of `q`, in id order.
  std::vector<std::string> Search(const std::string& q) {
    auto query = ParseBookQuery({{"q", q}, {"page_size", "100"}});
    EXPECT_TRUE(query.ok());
    auto page = books_.List(*query);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    for (const auto& b : (*page)->items) out.push_back(b.code);
    EXPECT_EQ((*page)->total, static_cast<int64_t>(out.size())) << q;
    return out;
  }

  // The rule, applied in memory: case-folded substring.
  static std::vector<std::string> Expected(const std::string& q) {
    std::vector<std::string> out;
    const std::string needle = FoldCase(q);
    for (const auto& s : Samples()) {
      for (const auto* field : {&s.code, &s.name, s.publisher ? &*s.publisher : nullptr}) {
        if (field && FoldCase(*field).find(needle) != std::string::npos) {
          out.push_back(s.code);
          break;
        }
      }
    }
    return out;
  }
};

TEST_P(BookSearchTest, SameRowsAsTheScanForLongAndShortQueries) {
  for (const std::string q : {"dragon",
                              "DRAGON",
                              "rAgOn",
                              "Dragon Reborn",
                              "e dr",
                              "drg-",
                              "tor books",
                              "faber & f",
                              "50%",
                              "%",
                              "_",
                              "off: a",
                              "discount_p",
                              "!",
                              "wow!",
                              "\"quoted\"",
                              "\"",
                              "o'reilly",
                              "'",
                              "ab",
                              "a",
                              "b",
                              "zz",
                              "caf\xc3\xa9",
                              "\xc3\xa9",
                              "sea",
                              "\xc3\xb6konomie",
                              "\xc3\x96KONOMIE",
                              "\xc3\xb6",
                              "STRASSE",
                              "stra\xc3\x9f",
                              "\xe1\xba\x9e",
                              "\xd0\xba\xd0\xbd\xd0\xb8",
                              "\xcf\x83\xce\xbf\xcf\x86",
                              "\xcf\x82",
                              "nothing like this at all"}) {
    EXPECT_EQ(Search(q), Expected(q)) << "q=" << q;
  }
  EXPECT_THAT(Search("dragon"), ElementsAre("DRG-1", "DRG-2", "SNA-1"));
}

TEST_P(BookSearchTest, UnicodeCaseIsFoldedOnBothEngines) {
  EXPECT_THAT(Search("\xc3\xb6konomie"), ElementsAre("OEK-1"));      // ökonomie
  EXPECT_THAT(Search("\xc3\x96KONOMIE DER"), ElementsAre("OEK-1"));  // ÖKONOMIE DER
  EXPECT_THAT(Search("\xc3\xb6k"), ElementsAre("OEK-1"));            // ök: indexed
  EXPECT_THAT(Search("\xc3\x96"), ElementsAre("OEK-1"));             // Ö: short, scanned
  EXPECT_THAT(Search("CAF\xc3\x89"), ElementsAre("CAF-1"));          // CAFÉ
  EXPECT_THAT(Search("\xc3\xa9"
                     "ditions"),
              ElementsAre("CAF-1"));                     // éditions
  EXPECT_THAT(Search("strasse"), ElementsAre("STR-1"));  // ß folds to ss
  EXPECT_THAT(Search("\xd0\xba\xd0\xbd\xd0\xb8\xd0\xb3\xd0\xb0"), ElementsAre("KNG-1"));  // книга
  EXPECT_THAT(Search("\xcf\x83\xce\xbf\xcf\x86\xce\xaf"), IsEmpty());  // σοφί: accent differs
  EXPECT_THAT(Search("\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1"), ElementsAre("KNG-1"));  // σοφια
}

TEST_P(BookSearchTest, PublisherFilterFoldsUnicodeCase) {
  for (const std::string p : {"\xc3\xb6ko-verlag", "\xc3\x96ko-Verlag", "\xc3\x96KO-VERLAG"}) {
    auto query = ParseBookQuery({{"publisher", p}});
    ASSERT_TRUE(query.ok());
    auto page = books_.List(*query);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ((*page)->items.size(), 1u) << p;
    EXPECT_EQ((*page)->items[0].code, "OEK-1");
  }
  auto query = ParseBookQuery({{"publisher",
                                "\xc3\xa9"
                                "ditions du seuil"}});
  ASSERT_TRUE(query.ok());
  auto page = books_.List(*query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)->total, 1);
}

TEST_P(BookSearchTest, FoldingsFollowRenames) {
  // Ärger -> Überraschung (Ö) -> Plain (ASCII, no stored folding): each
  // step removes the old key from the index and finds the new one.
  const int64_t id = NewBook("REN-1", 1, 1000, std::nullopt, "\xc3\x84rger");
  EXPECT_THAT(Search("\xc3\xa4rger"), ElementsAre("REN-1"));
  BookFields first;
  first.name =
      "\xc3\x9c"
      "berraschung";
  first.publisher = std::optional<std::string>("\xc3\x96");
  ASSERT_TRUE(books_.Update(id, first).ok());
  EXPECT_THAT(Search("\xc3\xa4rger"), IsEmpty());
  EXPECT_THAT(Search("\xc3\xbc"
                     "BERRASCHUNG"),
              ElementsAre("REN-1"));
  BookFields second;
  second.name = "Plain Title";
  second.publisher = std::optional<std::string>("Plain Press");
  ASSERT_TRUE(books_.Update(id, second).ok());
  EXPECT_THAT(Search("\xc3\xbc"
                     "berraschung"),
              IsEmpty());
  EXPECT_THAT(Search("plain title"), ElementsAre("REN-1"));
  EXPECT_THAT(Search("PLAIN PRESS"), ElementsAre("REN-1"));
  ASSERT_TRUE(books_.Remove(id).ok());
  EXPECT_THAT(Search("plain"), IsEmpty());
}

TEST_P(BookSearchTest, IndexFollowsUpdatesAndDeletes) {
  const int64_t sea = NewBook("NEW-1", 1, 1000, std::string("Gollancz"), "Lanterns of the Deep");
  EXPECT_THAT(Search("lantern"), ElementsAre("NEW-1"));
  EXPECT_THAT(Search("gollancz"), ElementsAre("NEW-1"));

  BookFields rename;
  rename.name = "Harbor Lights";
  rename.publisher = std::optional<std::string>{};
  ASSERT_TRUE(books_.Update(sea, rename).ok());
  EXPECT_THAT(Search("lantern"), IsEmpty());
  EXPECT_THAT(Search("gollancz"), IsEmpty());
  EXPECT_THAT(Search("harbor"), ElementsAre("NEW-1"));

  BookFields recode;
  recode.code = "HRB-9";
  ASSERT_TRUE(books_.Update(sea, recode).ok());
  EXPECT_THAT(Search("hrb-9"), ElementsAre("HRB-9"));
  EXPECT_THAT(Search("new-1"), IsEmpty());

  // Stock changes (orders) leave the index alone and the book findable.
  const int64_t user = NewUser("searcher");
  auto placed = orders_.Place(user, {{sea, 1}}, std::nullopt);
  ASSERT_TRUE(placed.ok());
  EXPECT_THAT(Search("harbor"), ElementsAre("HRB-9"));
  ASSERT_TRUE(orders_.ChangeStatus({user, false}, placed->order_id, "canceled").ok());

  // A book that an order references cannot be deleted; another one can.
  const int64_t doomed = NewBook("DEL-1", 0, 100, std::nullopt, "Doomed Harbor");
  EXPECT_THAT(Search("harbor"), ElementsAre("HRB-9", "DEL-1"));
  ASSERT_TRUE(books_.Remove(doomed).ok());
  EXPECT_THAT(Search("harbor"), ElementsAre("HRB-9"));
}

TEST_P(BookSearchTest, CombinesWithFiltersSortingAndPaging) {
  auto query =
      ParseBookQuery({{"q", "DRAGON"}, {"sort", "-code"}, {"page_size", "1"}, {"page", "2"}});
  ASSERT_TRUE(query.ok());
  auto page = books_.List(*query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)->total, 3);
  ASSERT_EQ((*page)->items.size(), 1u);
  EXPECT_EQ((*page)->items[0].code, "DRG-2");  // SNA-1, DRG-2, DRG-1

  // Sorted by id, the page walks the index's matches in order and stops.
  query = ParseBookQuery({{"q", "dragon"}, {"sort", "-id"}, {"page_size", "2"}, {"page", "2"}});
  ASSERT_TRUE(query.ok());
  page = books_.List(*query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)->total, 3);
  ASSERT_EQ((*page)->items.size(), 1u);
  EXPECT_EQ((*page)->items[0].code, "DRG-1");  // SNA-1, DRG-2 | DRG-1

  query = ParseBookQuery({{"q", "dragon"}, {"publisher", "TOR BOOKS"}});
  ASSERT_TRUE(query.ok());
  page = books_.List(*query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ((*page)->items.size(), 1u);
  EXPECT_EQ((*page)->items[0].code, "DRG-1");
}

INSTANTIATE_TEST_SUITE_P(Dialects, BookSearchTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::book::test
