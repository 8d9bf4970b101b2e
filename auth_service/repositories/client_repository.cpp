#include "auth_service/repositories/client_repository.h"

#include <soci/soci.h>

#include "auth_service/oauth/scopes.h"
#include "common/db/statement_cache.h"

namespace bookstore::auth::client_repo {
namespace {

constexpr const char* kColumns =
    "client_id, name, secret_hash, confidential, redirect_uris, post_logout_redirect_uris, "
    "allowed_scopes, created_at";

constexpr const char* kInsert =
    "INSERT INTO oauth_clients (client_id, name, secret_hash, confidential, redirect_uris, "
    "post_logout_redirect_uris, allowed_scopes, created_at) VALUES (:client_id, :name, "
    ":secret_hash, :confidential, :redirect_uris, :post_logout, :allowed_scopes, :created_at) "
    "ON CONFLICT (client_id) DO NOTHING";

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

constexpr const char* kUpdate =
    "UPDATE oauth_clients SET name = :name, secret_hash = :secret_hash, confidential = "
    ":confidential, redirect_uris = :redirect_uris, post_logout_redirect_uris = :post_logout, "
    "allowed_scopes = :allowed_scopes WHERE client_id = :client_id";

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

// Output buffers for one row.
struct Row {
  std::string client_id, name, secret, uris, logout_uris, scopes;
  soci::indicator secret_ind = soci::i_ok, scopes_ind = soci::i_ok;
  long long confidential = 0, created_at = 0;

  ClientRecord ToRecord() const {
    ClientRecord r;
    r.client_id = client_id;
    r.name = name;
    r.secret_hash = secret_ind == soci::i_ok ? secret : "";
    r.confidential = confidential != 0;
    r.redirect_uris = SplitLines(uris);
    r.post_logout_redirect_uris = SplitLines(logout_uris);
    if (scopes_ind == soci::i_ok) {
      r.allowed_scopes = ParseScopes(scopes).value_or(std::vector<std::string>{});
    }
    r.created_at = created_at;
    return r;
  }
};

// One client by id, prepared once per connection (db::Cached).
struct FindQuery {
  std::string client_id;
  Row row;
  soci::statement st;
  explicit FindQuery(soci::session& s)
      : st((s.prepare << "SELECT " << kColumns
                      << " FROM oauth_clients WHERE client_id = :client_id",
            soci::use(client_id, "client_id"), soci::into(row.client_id), soci::into(row.name),
            soci::into(row.secret, row.secret_ind), soci::into(row.confidential),
            soci::into(row.uris), soci::into(row.logout_uris),
            soci::into(row.scopes, row.scopes_ind), soci::into(row.created_at))) {}
};

}  // namespace

std::optional<ClientRecord> Find(soci::session& s, const std::string& client_id) {
  db::Cached<FindQuery> q(s);
  q->client_id = client_id;
  if (!q->st.execute(true)) return std::nullopt;
  return q->row.ToRecord();
}

// Runs kInsert (`insert`) or kUpdate with the columns of `client`; true
// when it changed one row.
bool Write(soci::session& s, bool insert, const ClientRecord& client) {
  const long long confidential = client.confidential ? 1 : 0;
  const long long created_at = client.created_at;
  const std::string uris = JoinLines(client.redirect_uris);
  const std::string logout = JoinLines(client.post_logout_redirect_uris);
  const std::string scopes = client.allowed_scopes ? JoinScopes(*client.allowed_scopes) : "";
  soci::indicator secret_ind = client.secret_hash.empty() ? soci::i_null : soci::i_ok;
  soci::indicator scopes_ind = client.allowed_scopes ? soci::i_ok : soci::i_null;
  soci::statement st(s);
  st.exchange(soci::use(client.client_id, "client_id"));
  st.exchange(soci::use(client.name, "name"));
  st.exchange(soci::use(client.secret_hash, secret_ind, "secret_hash"));
  st.exchange(soci::use(confidential, "confidential"));
  st.exchange(soci::use(uris, "redirect_uris"));
  st.exchange(soci::use(logout, "post_logout"));
  st.exchange(soci::use(scopes, scopes_ind, "allowed_scopes"));
  if (insert) st.exchange(soci::use(created_at, "created_at"));
  st.alloc();
  st.prepare(insert ? kInsert : kUpdate);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool Insert(soci::session& s, const ClientRecord& client) { return Write(s, true, client); }

bool Update(soci::session& s, const ClientRecord& client) { return Write(s, false, client); }

bool Delete(soci::session& s, const std::string& client_id) {
  soci::statement st =
      (s.prepare << "DELETE FROM oauth_clients WHERE client_id = :id", soci::use(client_id, "id"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<ClientRecord> List(soci::session& s) {
  std::vector<ClientRecord> out;
  Row row;
  soci::statement st =
      (s.prepare << "SELECT " << kColumns << " FROM oauth_clients ORDER BY client_id",
       soci::into(row.client_id), soci::into(row.name), soci::into(row.secret, row.secret_ind),
       soci::into(row.confidential), soci::into(row.uris), soci::into(row.logout_uris),
       soci::into(row.scopes, row.scopes_ind), soci::into(row.created_at));
  st.execute();
  while (st.fetch()) out.push_back(row.ToRecord());
  return out;
}

}  // namespace bookstore::auth::client_repo
