#include "auth_service/repositories/code_repository.h"

#include <soci/soci.h>

#include "common/db/statement_cache.h"

namespace bookstore::auth::code_repo {
namespace {

constexpr const char* kInsert =
    "INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, "
    "redirect_given, scope, code_challenge, expires_at, created_at, nonce, auth_time, sid) "
    "VALUES (:code_hash, :client_id, :user_id, :redirect_uri, :redirect_given, :scope, "
    ":code_challenge, :expires_at, :created_at, :nonce, :auth_time, :sid)";
constexpr const char* kFind =
    "SELECT client_id, user_id, redirect_uri, redirect_given, scope, code_challenge, "
    "expires_at, used_at, created_at, nonce, auth_time, sid FROM authorization_codes "
    "WHERE code_hash = :code_hash";
constexpr const char* kMarkUsed =
    "UPDATE authorization_codes SET used_at = :now WHERE code_hash = :code_hash "
    "AND used_at IS NULL";
// Used codes are kept while their token family exists (replay detection);
// only unused expired codes and codes older than a day are removed.
constexpr const char* kDeleteExpired =
    "DELETE FROM authorization_codes WHERE expires_at < :before AND used_at IS NULL";

// Statements prepared once per connection (db::Cached); each owns its values.
struct FindQuery {
  std::string code_hash;
  CodeRecord c;
  long long user_id = 0, given = 0, expires_at = 0, used_at = 0, created_at = 0, auth_time = 0;
  soci::indicator challenge_ind = soci::i_ok, used_ind = soci::i_ok, nonce_ind = soci::i_ok,
                  auth_time_ind = soci::i_ok, sid_ind = soci::i_ok;
  soci::statement st;
  explicit FindQuery(soci::session& s)
      : st((s.prepare << kFind, soci::use(code_hash, "code_hash"), soci::into(c.client_id),
            soci::into(user_id), soci::into(c.redirect_uri), soci::into(given), soci::into(c.scope),
            soci::into(c.code_challenge, challenge_ind), soci::into(expires_at),
            soci::into(used_at, used_ind), soci::into(created_at), soci::into(c.nonce, nonce_ind),
            soci::into(auth_time, auth_time_ind), soci::into(c.sid, sid_ind))) {}
};

struct MarkUsedQuery {
  std::string code_hash;
  long long now = 0;
  soci::statement st;
  explicit MarkUsedQuery(soci::session& s)
      : st((s.prepare << kMarkUsed, soci::use(now, "now"), soci::use(code_hash, "code_hash"))) {}
};

}  // namespace

void Insert(soci::session& s, const CodeRecord& c) {
  const long long user_id = c.user_id, given = c.redirect_given ? 1 : 0, expires_at = c.expires_at,
                  created_at = c.created_at, auth_time = c.auth_time;
  soci::indicator challenge_ind = c.code_challenge.empty() ? soci::i_null : soci::i_ok;
  soci::indicator nonce_ind = c.nonce.empty() ? soci::i_null : soci::i_ok;
  soci::indicator auth_time_ind = c.auth_time == 0 ? soci::i_null : soci::i_ok;
  soci::indicator sid_ind = c.sid.empty() ? soci::i_null : soci::i_ok;
  s << kInsert, soci::use(c.code_hash, "code_hash"), soci::use(c.client_id, "client_id"),
      soci::use(user_id, "user_id"), soci::use(c.redirect_uri, "redirect_uri"),
      soci::use(given, "redirect_given"), soci::use(c.scope, "scope"),
      soci::use(c.code_challenge, challenge_ind, "code_challenge"),
      soci::use(expires_at, "expires_at"), soci::use(created_at, "created_at"),
      soci::use(c.nonce, nonce_ind, "nonce"), soci::use(auth_time, auth_time_ind, "auth_time"),
      soci::use(c.sid, sid_ind, "sid");
}

std::optional<CodeRecord> Find(soci::session& s, const std::string& code_hash) {
  db::Cached<FindQuery> q(s);
  q->code_hash = code_hash;
  if (!q->st.execute(true)) return std::nullopt;
  CodeRecord c = q->c;
  c.code_hash = code_hash;
  c.user_id = q->user_id;
  c.redirect_given = q->given != 0;
  if (q->challenge_ind != soci::i_ok) c.code_challenge.clear();
  c.expires_at = q->expires_at;
  c.used_at = q->used_ind == soci::i_ok ? q->used_at : 0;
  c.created_at = q->created_at;
  if (q->nonce_ind != soci::i_ok) c.nonce.clear();
  c.auth_time = q->auth_time_ind == soci::i_ok ? q->auth_time : 0;
  if (q->sid_ind != soci::i_ok) c.sid.clear();
  return c;
}

bool MarkUsed(soci::session& s, const std::string& code_hash, int64_t now) {
  db::Cached<MarkUsedQuery> q(s);
  q->now = now;
  q->code_hash = code_hash;
  q->st.execute(true);
  return q->st.get_affected_rows() == 1;
}

void DeleteExpired(soci::session& s, int64_t before) {
  const long long b = before;
  s << kDeleteExpired, soci::use(b, "before");
}

}  // namespace bookstore::auth::code_repo
