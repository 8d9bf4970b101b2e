// §2.2 users over HTTP: registration, admin management, last-admin rules.
#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class UsersApiTest : public BookApiTest {
 protected:
  HttpResponse Register(const std::string& body) { return client_->PostJson("/register", body); }
};

TEST_F(UsersApiTest, RegisterCreatesACustomerWithoutExposingTheHash) {
  auto r = Register(R"({"username":"carol.c-1","password":"correct horse"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto u = Json(r.body);
  EXPECT_EQ(u.at("role").as_string(), "customer");
  EXPECT_EQ(u.at("username").as_string(), "carol.c-1");
  EXPECT_EQ(r.Header("Location"), "/users/" + std::to_string(u.at("id").as_int64()));
  const std::string created(u.at("created_at").as_string());
  EXPECT_EQ(created.size(), 20u);
  EXPECT_EQ(created.back(), 'Z');
  EXPECT_EQ(u.as_object().size(), 4u);
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);
  EXPECT_EQ(r.body.find("password"), std::string::npos);
}

TEST_F(UsersApiTest, RegisterRoleOtherThanCustomerIs403) {
  EXPECT_EQ(Register(R"({"username":"mallory","password":"password1","role":"admin"})").status,
            403);
  EXPECT_EQ(Register(R"({"username":"mallory","password":"password1","role":"customer"})").status,
            201);
}

TEST_F(UsersApiTest, TakenUsernameIgnoringCaseIs409) {
  EXPECT_EQ(Register(R"({"username":"ALICE","password":"password1"})").status, 409);
}

// Contract §6: sign-ups are throttled per client address (argon2id costs
// CPU); a taken name is refused before any hashing and costs no quota.
TEST_F(UsersApiTest, RegistrationIsThrottledPerAddress) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Register(R"({"username":"alice","password":"password1"})").status, 409);
  }
  for (int i = 0; i < 10; ++i) {
    auto r = Register(R"({"username":"user)" + std::to_string(i) + R"(","password":"password1"})");
    ASSERT_EQ(r.status, 201) << i << r.body;
  }
  auto over = Register(R"({"username":"one-more","password":"password1"})");
  EXPECT_EQ(over.status, 429) << over.body;
  EXPECT_EQ(over.Header("Content-Type"), "application/problem+json");
  clock_.Advance(3600);
  EXPECT_EQ(Register(R"({"username":"next-hour","password":"password1"})").status, 201);
}

TEST_F(UsersApiTest, RegisterValidation) {
  auto r = Register(R"({"username":"ab","password":"short"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(ErrorFields(r.body), UnorderedElementsAre("username", "password"));
  EXPECT_EQ(Register(R"({"username":"has space","password":"password1"})").status, 400);
  EXPECT_EQ(Register(R"({"username":"a234567890123456789012345678901234","password":"password1"})")
                .status,
            400);
  // Length counts code points: 8 two-byte characters are enough, 129 are too many.
  std::string eight, many;
  for (int i = 0; i < 8; ++i) eight += "\u00e9";
  for (int i = 0; i < 129; ++i) many += "\u00e9";
  EXPECT_EQ(Register(R"({"username":"unicode1","password":")" + eight + "\"}").status, 201);
  EXPECT_EQ(Register(R"({"username":"unicode2","password":")" + many + "\"}").status, 400);
  EXPECT_EQ(Register(R"({"username":"unicode3","password":"1234567"})").status, 400);
  EXPECT_EQ(Register(R"({"username":5,"password":"password1"})").status, 400);
  EXPECT_EQ(Register(R"({"password":"password1"})").status, 400);
}

TEST_F(UsersApiTest, ManagementNeedsAdminWithUsersManage) {
  EXPECT_EQ(client_->Get("/users").status, 401);
  EXPECT_EQ(client_->Get("/users", AliceAuth()).status, 403);
  EXPECT_EQ(client_->Get("/users", CustomerAuth(alice_id_, "users:manage")).status, 403);
  EXPECT_EQ(client_->Get("/users", AdminAuth("books:write orders")).status, 403);
  EXPECT_EQ(client_->Get("/users", AdminAuth("users:manage")).status, 200);
  EXPECT_EQ(client_->Delete("/users/" + std::to_string(bob_id_), AliceAuth()).status, 403);
}

TEST_F(UsersApiTest, ListFiltersAndPaginates) {
  auto r = client_->Get("/users", AdminAuth());
  ASSERT_EQ(r.status, 200);
  auto page = Json(r.body);
  EXPECT_EQ(page.at("total").as_int64(), 3);
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);
  page = Json(client_->Get("/users?role=customer", AdminAuth()).body);
  EXPECT_EQ(page.at("total").as_int64(), 2);
  page = Json(client_->Get("/users?q=LIC", AdminAuth()).body);
  ASSERT_EQ(page.at("total").as_int64(), 1);
  EXPECT_EQ(page.at("items").at(0).at("username").as_string(), "alice");
  page = Json(client_->Get("/users?page=2&page_size=2", AdminAuth()).body);
  EXPECT_EQ(page.at("items").as_array().size(), 1u);
  EXPECT_EQ(page.at("page").as_int64(), 2);
  EXPECT_EQ(client_->Get("/users?role=root", AdminAuth()).status, 400);
  EXPECT_EQ(client_->Get("/users?page_size=1000", AdminAuth()).status, 400);
}

TEST_F(UsersApiTest, CrudByAdmin) {
  auto r = client_->PostJson(
      "/users", R"({"username":"dave","password":"password1","role":"admin"})", AdminAuth());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = Json(r.body).at("id").as_int64();
  const std::string path = "/users/" + std::to_string(id);
  EXPECT_EQ(Json(client_->Get(path, AdminAuth()).body).at("role").as_string(), "admin");
  r = client_->PutJson(path, R"({"role":"customer"})", AdminAuth());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).at("role").as_string(), "customer");
  EXPECT_EQ(client_->PutJson(path, R"({"password":"new-password"})", AdminAuth()).status, 200);
  EXPECT_EQ(client_->PutJson(path, R"({"password":"short"})", AdminAuth()).status, 400);
  EXPECT_EQ(client_->PutJson(path, R"({"role":"root"})", AdminAuth()).status, 400);
  EXPECT_EQ(client_->PutJson(path, R"({})", AdminAuth()).status, 400);
  EXPECT_EQ(client_->Delete(path, AdminAuth()).status, 204);
  EXPECT_EQ(client_->Get(path, AdminAuth()).status, 404);
  EXPECT_EQ(client_->Delete(path, AdminAuth()).status, 404);
  EXPECT_EQ(client_->Get("/users/abc", AdminAuth()).status, 404);
  EXPECT_EQ(client_->PostJson("/users", R"({"username":"Bob","password":"password1"})", AdminAuth())
                .status,
            409);
  EXPECT_EQ(client_
                ->PostJson("/users", R"({"username":"erin","password":"password1","role":"boss"})",
                           AdminAuth())
                .status,
            400);
}

// Contract §6: self-service accounts with any valid user token.
TEST_F(UsersApiTest, SelfServiceReadsChangesPasswordAndDeletes) {
  auto me = client_->Get("/users/me", CustomerAuth(alice_id_, "orders"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me.body).at("username").as_string(), "alice");
  EXPECT_EQ(me.body.find("hash"), std::string::npos);
  EXPECT_EQ(client_->Get("/users/me").status, 401);
  EXPECT_EQ(client_->Get("/users/me", CustomerAuth(alice_id_, "")).status, 200);  // no scope needed

  auto wrong = client_->PutJson("/users/me/password",
                                R"({"current_password":"nope","new_password":"brand-new-pass"})",
                                AliceAuth());
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  auto weak = client_->PutJson("/users/me/password",
                               R"({"current_password":"password-alice","new_password":"short"})",
                               AliceAuth());
  EXPECT_EQ(weak.status, 400) << weak.body;
  EXPECT_EQ(ErrorFields(weak.body), std::vector<std::string>{"new_password"});
  EXPECT_EQ(
      client_->PutJson("/users/me/password", R"({"new_password":"brand-new-pass"})", AliceAuth())
          .status,
      400);
  auto changed = client_->PutJson(
      "/users/me/password",
      R"({"current_password":"password-alice","new_password":"brand-new-pass"})", AliceAuth());
  EXPECT_EQ(changed.status, 204) << changed.body;

  auto keep = client_->Send("DELETE", "/users/me", R"({"password":"password-alice"})",
                            {{"Content-Type", "application/json"}, AliceAuth()[0]});
  EXPECT_EQ(keep.status, 403) << keep.body;  // the old password no longer counts
  auto gone = client_->Send("DELETE", "/users/me", R"({"password":"brand-new-pass"})",
                            {{"Content-Type", "application/json"}, AliceAuth()[0]});
  EXPECT_EQ(gone.status, 204) << gone.body;
  EXPECT_EQ(client_->Get("/users/" + std::to_string(alice_id_), AdminAuth()).status, 404);
}

TEST_F(UsersApiTest, LastAdminCannotDeleteThemselves) {
  auto r = client_->Send("DELETE", "/users/me", R"({"password":"password-admin"})",
                         {{"Content-Type", "application/json"}, AdminAuth()[0]});
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(UsersApiTest, LastAdminCannotBeDemotedOrDeleted) {
  const std::string path = "/users/" + std::to_string(admin_id_);
  auto r = client_->PutJson(path, R"({"role":"customer"})", AdminAuth());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(client_->Delete(path, AdminAuth()).status, 409);
  // With a second admin the first may go.
  r = client_->PutJson("/users/" + std::to_string(bob_id_), R"({"role":"admin"})", AdminAuth());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(client_->PutJson(path, R"({"role":"customer"})", AdminAuth()).status, 200);
  EXPECT_EQ(
      client_->PutJson("/users/" + std::to_string(bob_id_), R"({"role":"customer"})", AdminAuth())
          .status,
      409);
}

TEST_F(UsersApiTest, UserWithOrdersCannotBeDeleted) {
  auto book = AddBook("UO", 3);
  ASSERT_EQ(
      client_
          ->PostJson("/orders",
                     R"({"items":[{"book_id":)" + std::to_string(book) + R"(,"quantity":1}]})",
                     AliceAuth())
          .status,
      201);
  EXPECT_EQ(client_->Delete("/users/" + std::to_string(alice_id_), AdminAuth()).status, 409);
  EXPECT_EQ(client_->Delete("/users/" + std::to_string(bob_id_), AdminAuth()).status, 204);
}

}  // namespace
}  // namespace bookstore::book::test
