#include "common/accounts/sign_ins.h"

#include <soci/soci.h>

namespace bookstore::accounts {
namespace {

constexpr const char* kEndSessions =
    "UPDATE login_sessions SET revoked_at = :now WHERE user_id = :id AND revoked_at IS NULL";
constexpr const char* kEndFamilies =
    "UPDATE token_families SET revoked_at = :now "
    "WHERE user_id = :id AND revoked_at IS NULL AND id <> :keep";
constexpr const char* kEndRefresh =
    "UPDATE refresh_tokens SET revoked_at = :now "
    "WHERE user_id = :id AND revoked_at IS NULL AND family_id <> :keep";
constexpr const char* kEndAccess =
    "UPDATE access_tokens SET revoked_at = :now WHERE user_id = :id AND revoked_at IS NULL "
    "AND (family_id IS NULL OR family_id <> :keep)";

}  // namespace

void EndSignIns(soci::session& sql, int64_t id, int64_t now, const std::string& keep_family) {
  long long key = id, at = now;
  std::string keep = keep_family;
  sql << kEndSessions, soci::use(at, "now"), soci::use(key, "id");
  for (const char* statement : {kEndFamilies, kEndRefresh, kEndAccess}) {
    sql << statement, soci::use(at, "now"), soci::use(key, "id"), soci::use(keep, "keep");
  }
}

}  // namespace bookstore::accounts
