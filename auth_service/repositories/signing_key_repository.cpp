#include "auth_service/repositories/signing_key_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::key_repo {
namespace {

constexpr const char* kUpsert =
    "INSERT INTO signing_keys (kid, alg, public_jwk, created_at) "
    "VALUES (:kid, :alg, :public_jwk, :created_at) "
    "ON CONFLICT (kid) DO UPDATE SET retire_after = NULL";
constexpr const char* kRetire =
    "UPDATE signing_keys SET retire_after = :retire_after WHERE kid = :kid";
constexpr const char* kPublished =
    "SELECT kid, public_jwk, retire_after FROM signing_keys "
    "WHERE retire_after IS NULL OR retire_after > :now ORDER BY created_at, kid";

}  // namespace

void Upsert(soci::session& s, const std::string& kid, const std::string& alg,
            const std::string& public_jwk, int64_t now) {
  const long long created = now;
  s << kUpsert, soci::use(kid, "kid"), soci::use(alg, "alg"), soci::use(public_jwk, "public_jwk"),
      soci::use(created, "created_at");
}

void Retire(soci::session& s, const std::string& kid, int64_t retire_after) {
  const long long at = retire_after;
  s << kRetire, soci::use(at, "retire_after"), soci::use(kid, "kid");
}

std::vector<PublishedKey> Published(soci::session& s, int64_t now) {
  std::vector<PublishedKey> out;
  std::string kid, jwk;
  long long retire = 0;
  soci::indicator retire_ind = soci::i_ok;
  const long long at = now;
  soci::statement st = (s.prepare << kPublished, soci::use(at, "now"), soci::into(kid),
                        soci::into(jwk), soci::into(retire, retire_ind));
  st.execute();
  while (st.fetch()) {
    out.push_back(PublishedKey{kid, jwk, retire_ind == soci::i_ok ? retire : 0});
  }
  return out;
}

}  // namespace bookstore::auth::key_repo
