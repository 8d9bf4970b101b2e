// §2.1 books over HTTP: representation, money, validation, auth, search.
#include <soci/soci.h>

#include "common/db/database.h"
#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class BooksApiTest : public BookApiTest {};

TEST_F(BooksApiTest, CreateDerivesSellPriceHalfUpAndReturnsLocation) {
  auto r = client_->PostJson("/books", R"({"code":"B-1","name":"Dune","imported_price":10.55})",
                             AdminAuth());
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = Json(r.body).at("id").as_int64();
  EXPECT_EQ(r.Header("Location"), "/books/" + std::to_string(id));
  EXPECT_NE(r.body.find(R"("sell_price":11.61)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("imported_price":10.55)"), std::string::npos) << r.body;
  auto b = Json(r.body);
  EXPECT_EQ(b.at("quantity").as_int64(), 0);
  EXPECT_TRUE(b.at("publisher").is_null());
  EXPECT_EQ(b.at("code").as_string(), "B-1");
}

TEST_F(BooksApiTest, PricesAreShownWithAtMostTwoDecimals) {
  AddBook("P1", 1, "11.95");
  AddBook("P2", 1, "10.5");
  AddBook("P3", 1, "10");
  auto r = client_->Get("/books?sort=code");
  EXPECT_NE(r.body.find(R"("sell_price":11.95)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("sell_price":10.5)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("sell_price":10})"), std::string::npos) << r.body;
}

// Contract §6: control characters are the client's mistake (400), never a
// database failure (a NUL in q once answered 503 and took instances out of
// the gateway's rotation).
TEST_F(BooksApiTest, ControlCharactersAre400) {
  for (const char* q : {"/books?q=%00%00%00", "/books?q=abc%00", "/books?publisher=a%0Ab",
                        "/books?min_price=%zz"}) {
    auto r = client_->Get(q);
    EXPECT_EQ(r.status, 400) << q << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << q;
  }
  auto nul_name = client_->PostJson(
      "/books", R"({"code":"N-1","name":"a\u0000b","imported_price":1})", AdminAuth());
  EXPECT_EQ(nul_name.status, 400) << nul_name.body;
  EXPECT_NE(nul_name.body.find("control characters"), std::string::npos) << nul_name.body;
  auto tab_publisher = client_->PostJson(
      "/books", R"({"code":"N-2","name":"ok","publisher":"x\ty","imported_price":1})", AdminAuth());
  EXPECT_EQ(tab_publisher.status, 400) << tab_publisher.body;
  EXPECT_EQ(client_->Get("/books?code=N-1").body.find("N-1"), std::string::npos);
}

TEST_F(BooksApiTest, BookReadsVaryByAuthorization) {  // admins see imported_price
  const auto id = AddBook("V1", 1);
  for (const std::string& path :
       std::vector<std::string>{"/books", "/books/" + std::to_string(id), "/books/999999"}) {
    for (const auto& auth : {HeaderList{}, AdminAuth()}) {
      auto r = client_->Get(path, auth);
      EXPECT_NE(r.Header("Vary").find("Authorization"), std::string::npos) << path << r.status;
    }
  }
}

TEST_F(BooksApiTest, DuplicateKeysAndInexactPricesAre400) {
  auto dup = client_->PostJson(
      "/books", R"({"code":"D-1","name":"x","imported_price":1,"imported_price":100000})",
      AdminAuth());
  EXPECT_EQ(dup.status, 400) << dup.body;
  EXPECT_NE(dup.body.find("imported_price"), std::string::npos) << dup.body;
  auto inexact = client_->PostJson(
      "/books", R"({"code":"D-2","name":"x","imported_price":1.100000000000000000001})",
      AdminAuth());
  EXPECT_EQ(inexact.status, 400) << inexact.body;
  EXPECT_EQ(client_->Get("/books?q=D-").body.find("D-"), std::string::npos);
}

TEST_F(BooksApiTest, GetBookAndNotFound) {
  auto id = AddBook("G1", 3);
  auto r = client_->Get("/books/" + std::to_string(id));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r.body).at("name").as_string(), "Book G1");
  EXPECT_EQ(client_->Get("/books/999999").status, 404);
  EXPECT_EQ(client_->Get("/books/abc").status, 404);
  EXPECT_EQ(client_->Get("/books/0").status, 404);
  EXPECT_EQ(client_->Get("/books/-1").status, 404);
  EXPECT_EQ(client_->Get("/books/1.5").status, 404);
}

TEST_F(BooksApiTest, ImportedPriceOnlyForAdmins) {
  auto id = AddBook("IP", 1, "12", R"(,"imported_price":10)");
  const std::string path = "/books/" + std::to_string(id);
  auto anon = Json(client_->Get(path).body);
  EXPECT_FALSE(anon.as_object().contains("imported_price"));
  auto customer = Json(client_->Get(path, AliceAuth()).body);
  EXPECT_FALSE(customer.as_object().contains("imported_price"));
  auto admin = Json(client_->Get(path, AdminAuth()).body);
  EXPECT_EQ(admin.at("imported_price").as_int64(), 10);
  auto list_admin = Json(client_->Get("/books", AdminAuth()).body);
  EXPECT_TRUE(list_admin.at("items").at(0).as_object().contains("imported_price"));
  auto list_anon = Json(client_->Get("/books").body);
  EXPECT_FALSE(list_anon.at("items").at(0).as_object().contains("imported_price"));
}

TEST_F(BooksApiTest, InvalidTokenOnPublicEndpointIsIgnored) {
  AddBook("PUB", 1);
  auto r = client_->Get("/books", Bearer("not.a.token"));
  EXPECT_EQ(r.status, 200);
  auto expired = Claims(admin_id_, "admin", kAllAdminScopes);
  expired.exp = clock_.Now() - 3600;
  r = client_->Get("/books", Bearer(TestKey()->Sign(expired)));
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(Json(r.body).at("items").at(0).as_object().contains("imported_price"));
}

TEST_F(BooksApiTest, WritesNeedAdminAndBooksWrite) {
  const std::string body = R"({"code":"W","name":"W","sell_price":1})";
  auto r = client_->PostJson("/books", body);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  r = client_->PostJson("/books", body, Bearer("garbage"));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.Header("WWW-Authenticate").find(R"(error="invalid_token")"), std::string::npos);
  r = client_->PostJson("/books", body, CustomerAuth(alice_id_, "orders books:write"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Header("WWW-Authenticate").find(R"(error="insufficient_scope")"), std::string::npos);
  r = client_->PostJson("/books", body, AdminAuth("orders users:manage"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Header("WWW-Authenticate").find(R"(error="insufficient_scope")"), std::string::npos);
  auto id = AddBook("W2", 1);
  const std::string path = "/books/" + std::to_string(id);
  EXPECT_EQ(client_->PutJson(path, R"({"name":"x"})", AliceAuth()).status, 403);
  EXPECT_EQ(client_->Delete(path, AliceAuth()).status, 403);
  EXPECT_EQ(client_->Delete(path).status, 401);
  EXPECT_EQ(client_->PostJson("/books", body, AdminAuth("books:write")).status, 201);
}

TEST_F(BooksApiTest, ValidationNamesEveryBadField) {
  auto r = client_->PostJson(
      "/books",
      R"({"code":"bad code!","name":"","quantity":-1,"sell_price":1.234,"imported_price":-2})",
      AdminAuth());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_THAT(ErrorFields(r.body),
              UnorderedElementsAre("code", "name", "quantity", "sell_price", "imported_price"));
  r = client_->PostJson("/books", R"({"name":"n"})", AdminAuth());
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(ErrorFields(r.body), UnorderedElementsAre("code", "sell_price"));
}

TEST_F(BooksApiTest, IntegersMustBeJsonIntegers) {
  for (const char* q : {R"("5")", "5.5", "true", "null", "5.0"}) {
    auto r = client_->PostJson(
        "/books", std::string(R"({"code":"I","name":"n","sell_price":1,"quantity":)") + q + "}",
        AdminAuth());
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_THAT(ErrorFields(r.body), ElementsAre("quantity")) << q;
  }
  auto r = client_->PostJson("/books", R"({"code":"I","name":"n","sell_price":"1"})", AdminAuth());
  EXPECT_EQ(r.status, 400);
}

TEST_F(BooksApiTest, MoneyLimits) {
  auto post = [&](const std::string& price_json) {
    return client_->PostJson(
        "/books", R"({"code":"M)" + std::to_string(++jti_) + R"(","name":"n",)" + price_json + "}",
        AdminAuth());
  };
  EXPECT_EQ(post(R"("sell_price":1000000)").status, 201);
  EXPECT_EQ(post(R"("sell_price":1000000.01)").status, 400);
  EXPECT_EQ(post(R"("sell_price":-0.01)").status, 400);
  EXPECT_EQ(post(R"("sell_price":10.555)").status, 400);
  EXPECT_EQ(post(R"("sell_price":0.1)").status, 201);
  EXPECT_EQ(post(R"("sell_price":1e2)").status, 201);
  // Derived price above the maximum: 909090.91 * 1.1 = 1000000.001 -> 1000000.00 is fine,
  // 909091 * 1.1 = 1000000.1 is not.
  EXPECT_EQ(post(R"("imported_price":909090.91)").status, 201);
  auto r = post(R"("imported_price":909091)");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(ErrorFields(r.body), ElementsAre("imported_price"));
  r = client_->PostJson("/books", R"({"code":"MQ","name":"n","sell_price":1,"quantity":1000001})",
                        AdminAuth());
  EXPECT_EQ(r.status, 400);
}

TEST_F(BooksApiTest, DuplicateCodeIs409) {
  AddBook("DUP", 1);
  auto r = client_->PostJson("/books", R"({"code":"DUP","name":"x","sell_price":1})", AdminAuth());
  EXPECT_EQ(r.status, 409);
  auto other = AddBook("OTHER", 1);
  r = client_->PutJson("/books/" + std::to_string(other), R"({"code":"DUP"})", AdminAuth());
  EXPECT_EQ(r.status, 409);
}

TEST_F(BooksApiTest, PartialUpdateKeepsOtherFields) {
  auto r = client_->PostJson(
      "/books",
      R"({"code":"U1","name":"Old","publisher":"Pub","quantity":4,"imported_price":10,"sell_price":15})",
      AdminAuth());
  ASSERT_EQ(r.status, 201);
  const std::string path = "/books/" + std::to_string(Json(r.body).at("id").as_int64());
  r = client_->PutJson(path, R"({"imported_price":20})", AdminAuth());
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = Json(r.body);
  EXPECT_EQ(b.at("sell_price").as_int64(), 15);
  EXPECT_EQ(b.at("imported_price").as_int64(), 20);
  EXPECT_EQ(b.at("name").as_string(), "Old");
  r = client_->PutJson(path, R"({"name":"New","publisher":null,"quantity":9})", AdminAuth());
  b = Json(r.body);
  EXPECT_EQ(b.at("name").as_string(), "New");
  EXPECT_TRUE(b.at("publisher").is_null());
  EXPECT_EQ(b.at("quantity").as_int64(), 9);
  EXPECT_EQ(Json(client_->Get(path).body).at("name").as_string(), "New");
  EXPECT_EQ(client_->PutJson(path, R"({"quantity":"9"})", AdminAuth()).status, 400);
  EXPECT_EQ(client_->PutJson("/books/987654", R"({"name":"x"})", AdminAuth()).status, 404);
  EXPECT_EQ(client_->PutJson("/books/x", R"({"name":"x"})", AdminAuth()).status, 404);
}

TEST_F(BooksApiTest, DeleteBook) {
  auto id = AddBook("D1", 1);
  const std::string path = "/books/" + std::to_string(id);
  auto r = client_->Delete(path, AdminAuth());
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(client_->Get(path).status, 404);
  EXPECT_EQ(client_->Delete(path, AdminAuth()).status, 404);
}

TEST_F(BooksApiTest, DeleteBookReferencedByOrderIs409) {
  auto id = AddBook("D2", 5);
  auto r = client_->PostJson(
      "/orders", R"({"items":[{"book_id":)" + std::to_string(id) + R"(,"quantity":1}]})",
      AliceAuth());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(client_->Delete("/books/" + std::to_string(id), AdminAuth()).status, 409);
  EXPECT_EQ(client_->Get("/books/" + std::to_string(id)).status, 200);
}

TEST_F(BooksApiTest, BodyRulesFromTheCore) {
  auto r = client_->Send("POST", "/books", R"({"code":"X","name":"x","sell_price":1})",
                         {{"Content-Type", "text/plain"}, AdminAuth()[0]});
  EXPECT_EQ(r.status, 415);
  r = client_->PostJson("/books", R"({"code":)", AdminAuth());
  EXPECT_EQ(r.status, 400);
  r = client_->PostJson("/books", R"([1,2])", AdminAuth());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(client_->Send("PATCH", "/books").status, 405);
}

// Inline reads share one read transaction per event-loop batch
// (common/db/shared_read.h); it must end with the batch, so a request sent
// after another connection's commit sees it.
TEST_F(BooksApiTest, ReadsSeeCommitsMadeElsewhereBeforeTheRequest) {
  auto id = AddBook("S1", 3);
  const std::string path = "/books/" + std::to_string(id);
  ASSERT_EQ(Json(client_->Get(path).body).at("name").as_string(), "Book S1");
  ASSERT_EQ(Json(client_->Get("/books?q=renamed").body).at("total").as_int64(), 0);
  auto other = db_.Open();  // another connection, as another process would have
  for (int round = 1; round <= 3; ++round) {
    const std::string name = "Renamed " + std::to_string(round);
    other->Session() << "UPDATE books SET name = '" + name + "' WHERE id = " + std::to_string(id);
    EXPECT_EQ(Json(client_->Get(path).body).at("name").as_string(), name);
    auto page = Json(client_->Get("/books?q=renamed").body);  // a memoised page and total
    EXPECT_EQ(page.at("total").as_int64(), 1);
    ASSERT_EQ(page.at("items").as_array().size(), 1u);
    EXPECT_EQ(page.at("items").at(0).at("name").as_string(), name);
  }
}

}  // namespace
}  // namespace bookstore::book::test
