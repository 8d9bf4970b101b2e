#include "auth_service/repositories/code_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::code_repo {
namespace {

constexpr const char* kInsert =
    "INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, "
    "redirect_given, scope, code_challenge, expires_at, created_at) VALUES (:code_hash, "
    ":client_id, :user_id, :redirect_uri, :redirect_given, :scope, :code_challenge, "
    ":expires_at, :created_at)";
constexpr const char* kFind =
    "SELECT client_id, user_id, redirect_uri, redirect_given, scope, code_challenge, "
    "expires_at, used_at, created_at FROM authorization_codes WHERE code_hash = :code_hash";
constexpr const char* kMarkUsed =
    "UPDATE authorization_codes SET used_at = :now WHERE code_hash = :code_hash "
    "AND used_at IS NULL";
// Used codes are kept while their token family exists (replay detection);
// only unused expired codes and codes older than a day are removed.
constexpr const char* kDeleteExpired =
    "DELETE FROM authorization_codes WHERE expires_at < :before AND used_at IS NULL";

}  // namespace

void Insert(soci::session& s, const CodeRecord& c) {
  const long long user_id = c.user_id, given = c.redirect_given ? 1 : 0, expires_at = c.expires_at,
                  created_at = c.created_at;
  soci::indicator challenge_ind = c.code_challenge.empty() ? soci::i_null : soci::i_ok;
  s << kInsert, soci::use(c.code_hash, "code_hash"), soci::use(c.client_id, "client_id"),
      soci::use(user_id, "user_id"), soci::use(c.redirect_uri, "redirect_uri"),
      soci::use(given, "redirect_given"), soci::use(c.scope, "scope"),
      soci::use(c.code_challenge, challenge_ind, "code_challenge"),
      soci::use(expires_at, "expires_at"), soci::use(created_at, "created_at");
}

std::optional<CodeRecord> Find(soci::session& s, const std::string& code_hash) {
  CodeRecord c;
  long long user_id = 0, given = 0, expires_at = 0, used_at = 0, created_at = 0;
  soci::indicator challenge_ind = soci::i_ok, used_ind = soci::i_ok;
  s << kFind, soci::use(code_hash, "code_hash"), soci::into(c.client_id), soci::into(user_id),
      soci::into(c.redirect_uri), soci::into(given), soci::into(c.scope),
      soci::into(c.code_challenge, challenge_ind), soci::into(expires_at),
      soci::into(used_at, used_ind), soci::into(created_at);
  if (!s.got_data()) return std::nullopt;
  c.code_hash = code_hash;
  c.user_id = user_id;
  c.redirect_given = given != 0;
  if (challenge_ind != soci::i_ok) c.code_challenge.clear();
  c.expires_at = expires_at;
  c.used_at = used_ind == soci::i_ok ? used_at : 0;
  c.created_at = created_at;
  return c;
}

bool MarkUsed(soci::session& s, const std::string& code_hash, int64_t now) {
  const long long at = now;
  soci::statement st =
      (s.prepare << kMarkUsed, soci::use(at, "now"), soci::use(code_hash, "code_hash"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void DeleteExpired(soci::session& s, int64_t before) {
  const long long b = before;
  s << kDeleteExpired, soci::use(b, "before");
}

}  // namespace bookstore::auth::code_repo
