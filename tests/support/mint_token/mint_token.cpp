// mint_token: a test helper for end-to-end scripts (never part of a
// service). Signs RFC 9068 access tokens with an RSA PEM key and prints the
// matching JWKS, so scripts can drive the book service without the auth
// service.
//   mint_token jwks --key KEY.pem
//   mint_token sign --key KEY.pem --sub 7 --role customer --scope orders
//                   [--iss URL] [--aud AUD] [--ttl SECONDS] [--username NAME]

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/clock.h"
#include "common/jwt.h"

int main(int argc, char** argv) {
  CLI::App app{"mint_token: sign test access tokens"};
  app.require_subcommand(1);
  std::string key_path, sub, role = "customer", scope = "orders", username;
  std::string iss = "http://localhost:5000", aud = "bookstore-api";
  int ttl = 900;
  auto* jwks = app.add_subcommand("jwks", "Print the JWKS of the key");
  jwks->add_option("--key", key_path, "RSA private key (PEM)")->required();
  auto* sign = app.add_subcommand("sign", "Print a signed access token");
  sign->add_option("--key", key_path, "RSA private key (PEM)")->required();
  sign->add_option("--sub", sub, "User id")->required();
  sign->add_option("--role", role, "admin or customer");
  sign->add_option("--scope", scope, "Space separated scopes");
  sign->add_option("--iss", iss, "Issuer");
  sign->add_option("--aud", aud, "Audience");
  sign->add_option("--ttl", ttl, "Lifetime in seconds");
  sign->add_option("--username", username, "username claim");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(key_path);
  if (!in) {
    std::cerr << "mint_token: cannot read " << key_path << "\n";
    return 1;
  }
  std::stringstream pem;
  pem << in.rdbuf();
  try {
    const auto key = bookstore::jwt::SigningKey::FromPem(pem.str());
    if (*jwks) {
      std::cout << bookstore::jwt::MakeJwks({key->PublicJwk()}) << "\n";
      return 0;
    }
    bookstore::jwt::AccessClaims c;
    const int64_t now = bookstore::SystemClock::Instance().Now();
    c.iss = iss;
    c.sub = sub;
    c.aud = aud;
    c.iat = now;
    c.exp = now + ttl;
    c.jti = bookstore::SodiumRandom::Instance().Token(16);
    c.client_id = "e2e";
    c.scope = scope;
    c.role = role;
    c.username = username.empty() ? "user" + sub : username;
    std::cout << key->Sign(c) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mint_token: " << e.what() << "\n";
    return 1;
  }
}
