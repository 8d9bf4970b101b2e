#include "auth_service/repositories/token_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::token_repo {
namespace {

constexpr const char* kInsertFamily =
    "INSERT INTO token_families (id, code_hash, client_id, user_id, created_at) "
    "VALUES (:id, :code_hash, :client_id, :user_id, :created_at)";
constexpr const char* kFamilyByCode = "SELECT id FROM token_families WHERE code_hash = :code_hash";
constexpr const char* kRevokeFamily =
    "UPDATE token_families SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
constexpr const char* kRevokeFamilyRefresh =
    "UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :id AND revoked_at IS NULL";
constexpr const char* kRevokeFamilyAccess =
    "UPDATE access_tokens SET revoked_at = :now WHERE family_id = :id AND revoked_at IS NULL";

constexpr const char* kInsertRefresh =
    "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, expires_at, "
    "created_at) VALUES (:token_hash, :family_id, :client_id, :user_id, :scope, :expires_at, "
    ":created_at)";
constexpr const char* kFindRefresh =
    "SELECT r.family_id, r.client_id, r.user_id, r.scope, r.expires_at, r.used_at, "
    "r.revoked_at, r.created_at, f.revoked_at FROM refresh_tokens r "
    "JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = :token_hash";
constexpr const char* kMarkRefreshUsed =
    "UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :token_hash "
    "AND used_at IS NULL AND revoked_at IS NULL";

constexpr const char* kInsertAccess =
    "INSERT INTO access_tokens (jti, family_id, client_id, user_id, expires_at, created_at) "
    "VALUES (:jti, :family_id, :client_id, :user_id, :expires_at, :created_at)";
constexpr const char* kFindAccess =
    "SELECT a.family_id, a.client_id, a.user_id, a.expires_at, a.revoked_at, a.created_at, "
    "f.revoked_at FROM access_tokens a LEFT JOIN token_families f ON f.id = a.family_id "
    "WHERE a.jti = :jti";
constexpr const char* kRevokeAccess =
    "UPDATE access_tokens SET revoked_at = :now WHERE jti = :jti AND revoked_at IS NULL";

constexpr const char* kDeleteExpiredAccess = "DELETE FROM access_tokens WHERE expires_at < :before";
constexpr const char* kDeleteExpiredRefresh =
    "DELETE FROM refresh_tokens WHERE expires_at < :before";

long long OrZero(long long v, soci::indicator ind) { return ind == soci::i_ok ? v : 0; }

}  // namespace

void InsertFamily(soci::session& s, const std::string& family_id, const std::string& code_hash,
                  const std::string& client_id, int64_t user_id, int64_t now) {
  const long long uid = user_id, created = now;
  soci::indicator code_ind = code_hash.empty() ? soci::i_null : soci::i_ok;
  s << kInsertFamily, soci::use(family_id, "id"), soci::use(code_hash, code_ind, "code_hash"),
      soci::use(client_id, "client_id"), soci::use(uid, "user_id"),
      soci::use(created, "created_at");
}

std::optional<std::string> FindFamilyByCode(soci::session& s, const std::string& code_hash) {
  std::string id;
  s << kFamilyByCode, soci::use(code_hash, "code_hash"), soci::into(id);
  if (!s.got_data()) return std::nullopt;
  return id;
}

void RevokeFamily(soci::session& s, const std::string& family_id, int64_t now) {
  const long long at = now;
  s << kRevokeFamily, soci::use(at, "now"), soci::use(family_id, "id");
  s << kRevokeFamilyRefresh, soci::use(at, "now"), soci::use(family_id, "id");
  s << kRevokeFamilyAccess, soci::use(at, "now"), soci::use(family_id, "id");
}

void InsertRefresh(soci::session& s, const RefreshRecord& t) {
  const long long uid = t.user_id, expires = t.expires_at, created = t.created_at;
  s << kInsertRefresh, soci::use(t.token_hash, "token_hash"), soci::use(t.family_id, "family_id"),
      soci::use(t.client_id, "client_id"), soci::use(uid, "user_id"), soci::use(t.scope, "scope"),
      soci::use(expires, "expires_at"), soci::use(created, "created_at");
}

std::optional<RefreshRecord> FindRefresh(soci::session& s, const std::string& token_hash) {
  RefreshRecord t;
  long long uid = 0, expires = 0, used = 0, revoked = 0, created = 0, family_revoked = 0;
  soci::indicator used_ind = soci::i_ok, revoked_ind = soci::i_ok, family_ind = soci::i_ok;
  s << kFindRefresh, soci::use(token_hash, "token_hash"), soci::into(t.family_id),
      soci::into(t.client_id), soci::into(uid), soci::into(t.scope), soci::into(expires),
      soci::into(used, used_ind), soci::into(revoked, revoked_ind), soci::into(created),
      soci::into(family_revoked, family_ind);
  if (!s.got_data()) return std::nullopt;
  t.token_hash = token_hash;
  t.user_id = uid;
  t.expires_at = expires;
  t.used_at = OrZero(used, used_ind);
  t.revoked_at = OrZero(revoked, revoked_ind);
  t.created_at = created;
  t.family_revoked_at = OrZero(family_revoked, family_ind);
  return t;
}

bool MarkRefreshUsed(soci::session& s, const std::string& token_hash, int64_t now) {
  const long long at = now;
  soci::statement st =
      (s.prepare << kMarkRefreshUsed, soci::use(at, "now"), soci::use(token_hash, "token_hash"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void InsertAccess(soci::session& s, const AccessRecord& t) {
  const long long uid = t.user_id, expires = t.expires_at, created = t.created_at;
  soci::indicator family_ind = t.family_id.empty() ? soci::i_null : soci::i_ok;
  s << kInsertAccess, soci::use(t.jti, "jti"), soci::use(t.family_id, family_ind, "family_id"),
      soci::use(t.client_id, "client_id"), soci::use(uid, "user_id"),
      soci::use(expires, "expires_at"), soci::use(created, "created_at");
}

std::optional<AccessRecord> FindAccess(soci::session& s, const std::string& jti) {
  AccessRecord t;
  long long uid = 0, expires = 0, revoked = 0, created = 0, family_revoked = 0;
  soci::indicator family_id_ind = soci::i_ok, revoked_ind = soci::i_ok, family_ind = soci::i_ok;
  s << kFindAccess, soci::use(jti, "jti"), soci::into(t.family_id, family_id_ind),
      soci::into(t.client_id), soci::into(uid), soci::into(expires),
      soci::into(revoked, revoked_ind), soci::into(created), soci::into(family_revoked, family_ind);
  if (!s.got_data()) return std::nullopt;
  t.jti = jti;
  if (family_id_ind != soci::i_ok) t.family_id.clear();
  t.user_id = uid;
  t.expires_at = expires;
  t.revoked_at = OrZero(revoked, revoked_ind);
  t.created_at = created;
  t.family_revoked_at = OrZero(family_revoked, family_ind);
  return t;
}

void RevokeAccess(soci::session& s, const std::string& jti, int64_t now) {
  const long long at = now;
  s << kRevokeAccess, soci::use(at, "now"), soci::use(jti, "jti");
}

void DeleteExpired(soci::session& s, int64_t before) {
  const long long b = before;
  s << kDeleteExpiredAccess, soci::use(b, "before");
  s << kDeleteExpiredRefresh, soci::use(b, "before");
}

}  // namespace bookstore::auth::token_repo
