// §2.1 book search over HTTP: q, publisher, price range, in_stock, sort, paging.
#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class BookSearchApiTest : public BookApiTest {
 protected:
  void SetUp() override {
    BookApiTest::SetUp();
    Add("A-1", "The Time Machine", "Harbor Press", 5, "8.50");
    Add("A-2", "War of the Worlds", "harbor press", 0, "12.00");
    Add("B_1", "100% Pure Poems", "Lantern", 2, "20");
    Add("C-9", "Moby Dick", std::nullopt, 7, "15.99");
  }
  void Add(const std::string& code, const std::string& name,
           const std::optional<std::string>& publisher, int qty, const std::string& price) {
    const std::string pub = publisher ? "\"" + *publisher + "\"" : "null";
    auto r = client_->PostJson("/books",
                               R"({"code":")" + code + R"(","name":")" + name +
                                   R"(","publisher":)" + pub + R"(,"quantity":)" +
                                   std::to_string(qty) + R"(,"sell_price":)" + price + "}",
                               AdminAuth());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::vector<std::string> Codes(const std::string& query) {
    auto r = client_->Get("/books" + query);
    EXPECT_EQ(r.status, 200) << query << " " << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    const auto page = Json(r.body);
    for (const auto& b : page.at("items").as_array()) {
      out.emplace_back(b.at("code").as_string());
    }
    return out;
  }
};

TEST_F(BookSearchApiTest, QueryMatchesNameCodePublisherIgnoringCase) {
  EXPECT_THAT(Codes("?q=time"), ElementsAre("A-1"));
  EXPECT_THAT(Codes("?q=WORLDS"), ElementsAre("A-2"));
  EXPECT_THAT(Codes("?q=c-9"), ElementsAre("C-9"));
  EXPECT_THAT(Codes("?q=HARBOR"), ElementsAre("A-1", "A-2"));
  EXPECT_THAT(Codes("?q=nothing-like-this"), ElementsAre());
}

TEST_F(BookSearchApiTest, QueryAndPublisherFoldUnicodeCase) {
  // Contract §2.1 "case-insensitive": Unicode case, not ASCII only (§6).
  Add("D-1", "\xc3\x96konomie heute",
      "\xc3\x89"
      "ditions Stra\xc3\x9f"
      "e",
      1, "9");
  EXPECT_THAT(Codes("?q=%C3%B6konomie"), ElementsAre("D-1"));  // ökonomie
  EXPECT_THAT(Codes("?q=%C3%96KONOMIE"), ElementsAre("D-1"));  // ÖKONOMIE
  EXPECT_THAT(Codes("?q=%C3%B6"), ElementsAre("D-1"));         // ö (too short to index)
  EXPECT_THAT(Codes("?q=STRASSE"), ElementsAre("D-1"));        // ß is ss
  EXPECT_THAT(Codes("?publisher=%C3%A9ditions%20strasse"), ElementsAre("D-1"));
}

TEST_F(BookSearchApiTest, LikeWildcardsInQueryAreLiteral) {
  EXPECT_THAT(Codes("?q=%25"), ElementsAre("B_1"));  // "%"
  EXPECT_THAT(Codes("?q=_"), ElementsAre("B_1"));    // "_" only in B_1
  EXPECT_THAT(Codes("?q=A_1"), ElementsAre());       // "_" is not a wildcard
}

TEST_F(BookSearchApiTest, PublisherIsExactIgnoringCase) {
  EXPECT_THAT(Codes("?publisher=HARBOR%20PRESS"), ElementsAre("A-1", "A-2"));
  EXPECT_THAT(Codes("?publisher=Harbor"), ElementsAre());
}

TEST_F(BookSearchApiTest, PriceRangeIsInclusiveOnSellPrice) {
  EXPECT_THAT(Codes("?min_price=12&max_price=15.99"), ElementsAre("A-2", "C-9"));
  EXPECT_THAT(Codes("?min_price=8.5&max_price=8.50"), ElementsAre("A-1"));
  EXPECT_THAT(Codes("?max_price=8.49"), ElementsAre());
}

TEST_F(BookSearchApiTest, InStockFilter) {
  EXPECT_THAT(Codes("?in_stock=true&sort=code"), ElementsAre("A-1", "B_1", "C-9"));
  EXPECT_THAT(Codes("?in_stock=false"), ElementsAre("A-2"));
}

TEST_F(BookSearchApiTest, SortingAndPaging) {
  EXPECT_THAT(Codes("?sort=-sell_price"), ElementsAre("B_1", "C-9", "A-2", "A-1"));
  EXPECT_THAT(Codes("?sort=quantity"), ElementsAre("A-2", "B_1", "A-1", "C-9"));
  EXPECT_THAT(Codes("?sort=-id"), ElementsAre("C-9", "B_1", "A-2", "A-1"));
  EXPECT_THAT(Codes("?sort=name"), ElementsAre("B_1", "C-9", "A-1", "A-2"));
  EXPECT_THAT(Codes("?sort=code&page=2&page_size=3"), ElementsAre("C-9"));
  auto page = Json(client_->Get("/books?page=2&page_size=3").body);
  EXPECT_EQ(page.at("page").as_int64(), 2);
  EXPECT_EQ(page.at("page_size").as_int64(), 3);
  EXPECT_EQ(page.at("total").as_int64(), 4);
  auto defaults = Json(client_->Get("/books?unknown=1").body);
  EXPECT_EQ(defaults.at("page").as_int64(), 1);
  EXPECT_EQ(defaults.at("page_size").as_int64(), 20);
  EXPECT_THAT(Codes("?page=9"), ElementsAre());
}

TEST_F(BookSearchApiTest, BadParametersAre400NamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"?page=0", "page"},
      {"?page=x", "page"},
      {"?page_size=0", "page_size"},
      {"?page_size=101", "page_size"},
      {"?sort=price", "sort"},
      {"?sort=-name;drop", "sort"},
      {"?in_stock=yes", "in_stock"},
      {"?min_price=1.234", "min_price"},
      {"?max_price=-1", "max_price"},
      {"?min_price=abc", "min_price"},
  };
  for (const auto& [query, field] : cases) {
    auto r = client_->Get("/books" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_THAT(ErrorFields(r.body), ElementsAre(field)) << query;
  }
  auto r = client_->Get("/books?page=0&sort=bad");
  EXPECT_THAT(ErrorFields(r.body), UnorderedElementsAre("page", "sort"));
}

}  // namespace
}  // namespace bookstore::book::test
