// AUTH_SIGNING_ALG=ES256 over a socket: the JWKS publishes an EC P-256 key,
// discovery names ES256, and access and ID tokens are ES256 JWSs that verify
// with the published keys, at the code and the refresh grant, and
// introspect and answer /userinfo.
#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

boost::json::object Header(const std::string& token) {
  return JsonObject(jwt::Base64UrlDecode(token.substr(0, token.find('.'))).value_or(""));
}

class Es256ApiTest : public AuthApiTest {
 protected:
  void Configure(AuthConfig& config) override { config.signing_alg = "ES256"; }

  // The keys of the served JWKS document.
  std::shared_ptr<const jwt::KeySet> ServedKeys() {
    auto r = client_->Get("/jwks.json");
    EXPECT_EQ(r.status, 200);
    auto set = jwt::KeySet::FromJwks(r.body);
    EXPECT_TRUE(set.ok());
    return set.ok() ? *set : nullptr;
  }
};

TEST_F(Es256ApiTest, JwksPublishesAnEcP256KeyAndDiscoveryNamesEs256) {
  auto jwks = JsonObject(client_->Get("/jwks.json").body);
  const auto& keys = jwks["keys"].as_array();
  ASSERT_EQ(keys.size(), 1u);
  auto key = keys[0].as_object();
  EXPECT_EQ(Str(key, "kty"), "EC");
  EXPECT_EQ(Str(key, "crv"), "P-256");
  EXPECT_EQ(Str(key, "alg"), "ES256");
  EXPECT_EQ(Str(key, "use"), "sig");
  EXPECT_EQ(Str(key, "kid"), app_->keys().signing_key().kid());
  EXPECT_EQ(jwt::Base64UrlDecode(Str(key, "x")).value_or("").size(), 32u);
  EXPECT_EQ(jwt::Base64UrlDecode(Str(key, "y")).value_or("").size(), 32u);
  EXPECT_FALSE(key.contains("d"));  // never the private part
  auto oidc = JsonObject(client_->Get("/.well-known/openid-configuration").body);
  EXPECT_EQ(oidc["id_token_signing_alg_values_supported"], (boost::json::array{"ES256"}));
}

TEST_F(Es256ApiTest, CodeAndRefreshGrantsSignEs256TokensThatVerify) {
  auto tokens =
      TokensFor("carol", "carol-pass-1", {{"scope", "openid profile orders"}, {"nonce", "n-1"}});
  const auto keys = ServedKeys();
  ASSERT_TRUE(keys);
  const jwt::VerifyOptions options{kIssuer, "bookstore-api", 0};
  for (const auto* name : {"access_token", "id_token"}) {
    const std::string token = Str(tokens, name);
    auto header = Header(token);
    EXPECT_EQ(Str(header, "alg"), "ES256") << name;
    EXPECT_EQ(Str(header, "kid"), app_->keys().signing_key().kid()) << name;
    // R || S: 64 bytes (not OpenSSL's DER).
    EXPECT_EQ(jwt::Base64UrlDecode(token.substr(token.rfind('.') + 1)).value_or("").size(), 64u);
  }
  auto access = keys->Verify(Str(tokens, "access_token"), options, clock_.Now());
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->username, "carol");
  EXPECT_TRUE(keys->VerifyIdTokenHint(Str(tokens, "id_token"), kIssuer).ok());

  auto refreshed = Refresh(Str(tokens, "refresh_token"));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  auto rotated = JsonObject(refreshed.body);
  EXPECT_TRUE(keys->Verify(Str(rotated, "access_token"), options, clock_.Now()).ok());
  EXPECT_TRUE(keys->VerifyIdTokenHint(Str(rotated, "id_token"), kIssuer).ok());

  auto introspection = Introspect(Str(rotated, "access_token"));
  EXPECT_TRUE(introspection["active"].as_bool());
  auto userinfo =
      client_->Get("/userinfo", {{"Authorization", "Bearer " + Str(rotated, "access_token")}});
  ASSERT_EQ(userinfo.status, 200) << userinfo.body;
  EXPECT_EQ(Str(JsonObject(userinfo.body), "username"), "carol");
}

TEST_F(Es256ApiTest, AnRs256TokenUnderTheEs256KeysKidIsRefused) {
  // Algorithm confusion: a token naming our kid but signed RS256 by
  // another key never passes for one of ours.
  const auto rsa = jwt::SigningKey::Generate(jwt::Alg::kRs256);
  const std::string header =
      R"({"alg":"RS256","typ":"at+jwt","kid":")" + app_->keys().signing_key().kid() + R"("})";
  const std::string payload = R"({"iss":")" + std::string(kIssuer) +
                              R"(","sub":"1","aud":"bookstore-api","exp":)" +
                              std::to_string(clock_.Now() + 600) + R"(,"iat":)" +
                              std::to_string(clock_.Now()) + R"(,"jti":"x"})";
  const std::string forged = rsa->SignRaw(header, payload);
  auto userinfo = client_->Get("/userinfo", {{"Authorization", "Bearer " + forged}});
  EXPECT_EQ(userinfo.status, 401);
  EXPECT_FALSE(Introspect(forged)["active"].as_bool());
}

}  // namespace
}  // namespace bookstore::auth
