// Bearer token checks of §2 over HTTP: signature, alg, typ, iss, aud,
// exp/nbf leeway, the verified-token cache, JWKS availability and rotation.
#include "book_service/auth/token_verifier.h"
#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {
namespace {

class AuthApiTest : public BookApiTest {
 protected:
  // A protected read: GET /orders needs a valid token with `orders`.
  int OrdersStatus(const HeaderList& auth) { return client_->Get("/orders", auth).status; }
  std::string Sign(const jwt::AccessClaims& c) { return TestKey()->Sign(c); }
  jwt::AccessClaims AliceClaims() { return Claims(alice_id_, "customer", "orders"); }
  static std::string Payload(const jwt::AccessClaims& c) {
    boost::json::object o{{"iss", c.iss},     {"sub", c.sub},   {"aud", c.aud},
                          {"exp", c.exp},     {"iat", c.iat},   {"jti", c.jti},
                          {"scope", c.scope}, {"role", c.role}, {"client_id", c.client_id}};
    return boost::json::serialize(o);
  }
};

TEST_F(AuthApiTest, ValidTokenIsAccepted) { EXPECT_EQ(OrdersStatus(AliceAuth()), 200); }

TEST_F(AuthApiTest, MissingTokenIs401WithBareChallenge) {
  auto r = client_->Get("/orders");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  r = client_->Get("/orders", {{"Authorization", "Basic YWxpY2U6cHc="}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
}

TEST_F(AuthApiTest, ExpiredTokenBeyondLeewayIs401InvalidToken) {
  auto c = AliceClaims();
  c.exp = clock_.Now() - 61;
  auto r = client_->Get("/orders", Bearer(Sign(c)));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), R"(Bearer error="invalid_token")");
  EXPECT_EQ(r.body.find(Sign(c)), std::string::npos);
}

TEST_F(AuthApiTest, ExpiryWithinLeewayIsAccepted) {
  auto c = AliceClaims();
  c.exp = clock_.Now() - 30;
  EXPECT_EQ(OrdersStatus(Bearer(Sign(c))), 200);
}

TEST_F(AuthApiTest, NotYetValidTokenIs401) {
  auto c = AliceClaims();
  c.nbf = clock_.Now() + 300;
  EXPECT_EQ(OrdersStatus(Bearer(Sign(c))), 401);
}

TEST_F(AuthApiTest, WrongAudienceOrIssuerIs401) {
  auto c = AliceClaims();
  c.aud = "someone-else";
  EXPECT_EQ(OrdersStatus(Bearer(Sign(c))), 401);
  c = AliceClaims();
  c.iss = "http://evil.test";
  EXPECT_EQ(OrdersStatus(Bearer(Sign(c))), 401);
}

TEST_F(AuthApiTest, AlgNoneAndWrongTypAreRejected) {
  const auto c = AliceClaims();
  const std::string payload = jwt::Base64UrlEncode(Payload(c));
  const std::string none_header =
      jwt::Base64UrlEncode(R"({"alg":"none","typ":"at+jwt","kid":")" + TestKey()->kid() + "\"}");
  EXPECT_EQ(OrdersStatus(Bearer(none_header + "." + payload + ".")), 401);
  const std::string signed_none = TestKey()->SignRaw(
      R"({"alg":"none","typ":"at+jwt","kid":")" + TestKey()->kid() + "\"}", Payload(c));
  EXPECT_EQ(OrdersStatus(Bearer(signed_none)), 401);
  const std::string hs = TestKey()->SignRaw(
      R"({"alg":"HS256","typ":"at+jwt","kid":")" + TestKey()->kid() + "\"}", Payload(c));
  EXPECT_EQ(OrdersStatus(Bearer(hs)), 401);
  const std::string jwt_typ = TestKey()->SignRaw(
      R"({"alg":"RS256","typ":"JWT","kid":")" + TestKey()->kid() + "\"}", Payload(c));
  EXPECT_EQ(OrdersStatus(Bearer(jwt_typ)), 401);
  // Control: the same payload with the right header passes.
  const std::string good = TestKey()->SignRaw(
      R"({"alg":"RS256","typ":"at+jwt","kid":")" + TestKey()->kid() + "\"}", Payload(c));
  EXPECT_EQ(OrdersStatus(Bearer(good)), 200);
}

TEST_F(AuthApiTest, TamperedSignatureAndForeignKeyAreRejected) {
  std::string token = Sign(AliceClaims());
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(OrdersStatus(Bearer(token)), 401);
  EXPECT_EQ(OrdersStatus(Bearer(OtherKey()->Sign(AliceClaims()))), 401);
}

TEST_F(AuthApiTest, NonNumericSubjectIsRejected) {
  auto c = AliceClaims();
  c.sub = "alice";
  EXPECT_EQ(OrdersStatus(Bearer(Sign(c))), 401);
}

TEST_F(AuthApiTest, CachedTokenStillExpiresWithTheClock) {
  const auto auth = AliceAuth();
  EXPECT_EQ(OrdersStatus(auth), 200);
  EXPECT_GE(app_->verifier().cached(), 1u);
  EXPECT_EQ(OrdersStatus(auth), 200);
  clock_.Advance(900 + 61);
  EXPECT_EQ(OrdersStatus(auth), 401);
}

TEST_F(AuthApiTest, MissingScopeIs403InsufficientScope) {
  auto r = client_->Get("/orders", CustomerAuth(alice_id_, "profile"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Header("WWW-Authenticate").find(R"(error="insufficient_scope")"), std::string::npos);
}

TEST_F(AuthApiTest, UnknownKidTriggersJwksRefetch) {
  const auto rotated = OtherKey();
  const std::string token = rotated->Sign(AliceClaims());
  uint64_t fetches = app_->jwks().fetches();
  EXPECT_EQ(OrdersStatus(Bearer(token)), 401);  // the JWKS does not list it yet
  ASSERT_TRUE(app_->jwks().WaitForFetchAfter(fetches, std::chrono::seconds(10)));
  ServeKeys({TestKey(), rotated});
  const int hits = jwks_.hits();
  fetches = app_->jwks().fetches();
  // Still unknown here: the request is answered at once, the refetch runs
  // in the background (contract §6), and the next request sees the key.
  EXPECT_EQ(OrdersStatus(Bearer(token)), 401);
  ASSERT_TRUE(app_->jwks().WaitForFetchAfter(fetches, std::chrono::seconds(10)));
  EXPECT_EQ(OrdersStatus(Bearer(token)), 200);
  EXPECT_GT(jwks_.hits(), hits);
  EXPECT_EQ(OrdersStatus(AliceAuth()), 200);  // the old key still works
}

class RateLimitedJwksTest : public BookApiTest {
 protected:
  RateLimitedJwksTest() : BookApiTest(AppOptions{"sqlite", true, std::chrono::hours(1)}) {}
};

TEST_F(RateLimitedJwksTest, UnknownKidRefetchesAtMostOncePerInterval) {
  const int before = jwks_.hits();
  auto c = Claims(alice_id_, "customer", "orders");
  const uint64_t fetches = app_->jwks().fetches();
  EXPECT_EQ(client_->Get("/orders", Bearer(OtherKey()->Sign(c))).status, 401);
  ASSERT_TRUE(app_->jwks().WaitForFetchAfter(fetches, std::chrono::seconds(10)));
  const int after_first = jwks_.hits();
  EXPECT_EQ(after_first, before + 1);
  c.jti = "another";
  EXPECT_EQ(client_->Get("/orders", Bearer(OtherKey()->Sign(c))).status, 401);
  EXPECT_EQ(jwks_.hits(), after_first);
}

class NoKeysTest : public BookApiTest {
 protected:
  NoKeysTest() : BookApiTest(AppOptions{"sqlite", false, std::chrono::milliseconds(0)}) {}
};

TEST_F(NoKeysTest, UnavailableJwksMeansNotReadyAnd503ThenRecovers) {
  EXPECT_EQ(client_->Get("/readyz").status, 503);
  auto r = client_->Get("/orders", AliceAuth());
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  r = client_->PostJson("/books", R"({"code":"X","name":"x","sell_price":1})", AdminAuth());
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(client_->Get("/books").status, 200);
  EXPECT_EQ(client_->Get("/books", AliceAuth()).status, 200);  // public read, token ignored
  EXPECT_EQ(client_->Get("/healthz").status, 200);

  ServeKeys({TestKey()});
  // A protected call asks for a refetch (rate limit 0 here) and is answered
  // at once; once the refresh thread has the keys, calls succeed.
  const uint64_t fetches = app_->jwks().fetches();
  client_->Get("/orders", AliceAuth());
  ASSERT_TRUE(app_->jwks().WaitForFetchAfter(fetches, std::chrono::seconds(10)));
  if (!app_->jwks().loaded()) {  // a backoff round may have started before ServeKeys
    const uint64_t again = app_->jwks().fetches();
    client_->Get("/orders", AliceAuth());
    ASSERT_TRUE(app_->jwks().WaitForFetchAfter(again, std::chrono::seconds(10)));
  }
  EXPECT_EQ(client_->Get("/orders", AliceAuth()).status, 200);
  EXPECT_EQ(client_->Get("/readyz").status, 200);
}

TEST_F(NoKeysTest, JwksWithoutUsableKeysIsNotLoaded) {
  jwks_.Serve(200, R"({"keys":[]})");
  EXPECT_EQ(client_->Get("/orders", AliceAuth()).status, 503);
  jwks_.Serve(200, "not json");
  EXPECT_EQ(client_->Get("/orders", AliceAuth()).status, 503);
  EXPECT_EQ(client_->Get("/readyz").status, 503);
}

class OpsApiTest : public BookApiTest {};

TEST_F(OpsApiTest, HealthReadyMetricsOpenApi) {
  EXPECT_EQ(client_->Get("/healthz").status, 200);
  EXPECT_EQ(client_->Get("/readyz").status, 200);
  client_->Get("/books/12345");
  auto metrics = client_->Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("route=\"/books/{id}\""), std::string::npos);
  auto doc = client_->Get("/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto v = Json(doc.body);
  EXPECT_EQ(v.at("openapi").as_string().subview().substr(0, 2), "3.");
  for (const char* path : {"/books", "/books/{id}", "/register", "/users", "/users/{id}", "/orders",
                           "/orders/{id}", "/orders/{id}/status"}) {
    EXPECT_TRUE(v.at("paths").as_object().contains(path)) << path;
  }
}

}  // namespace
}  // namespace bookstore::book::test
