#include "auth_service/cli_commands.h"

#include <boost/json.hpp>
#include <ostream>

#include "auth_service/app.h"
#include "auth_service/services/admin_service.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"
#include "common/db/db_options.h"
#include "common/db/migrations.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::auth {
namespace {

std::shared_ptr<db::Database> OpenDb(const AuthConfig& config) {
  return db::Database::Open(db::DbOptionsFrom(config.common));
}

// Opens the database and checks the schema; nullptr (after one line on
// `err`) when either fails.
std::shared_ptr<db::Database> OpenMigrated(const AuthConfig& config, std::ostream& err) {
  try {
    auto db = OpenDb(config);
    auto schema = db::CheckSchema(*db);
    if (!schema.ok()) {
      err << "bookstore-auth: " << schema.error().message << "\n";
      return nullptr;
    }
    return db;
  } catch (const std::exception& e) {  // a malformed BOOKSTORE_DATABASE_URL
    err << "bookstore-auth: BOOKSTORE_DATABASE_URL: " << e.what() << "\n";
    return nullptr;
  }
}

// The key of AUTH_SIGNING_KEY_FILE (created for AUTH_SIGNING_ALG when
// missing). Throws std::runtime_error when it cannot be read or created, or
// holds a key of another algorithm than AUTH_SIGNING_ALG.
std::shared_ptr<const jwt::SigningKey> LoadSigningKey(const AuthConfig& config) {
  const jwt::Alg alg = SigningAlg(config);
  auto key =
      jwt::SigningKey::LoadOrCreate(config.signing_key_file, config.signing_key_in_data_dir, alg);
  if (key->alg() != alg) {
    const std::string want(jwt::AlgName(alg));
    const std::string have(jwt::AlgName(key->alg()));
    throw std::runtime_error(
        config.signing_key_file + " holds an " + have + " key, but AUTH_SIGNING_ALG is " + want +
        ": run `bookstore-auth keys rotate` with AUTH_SIGNING_ALG=" + want +
        " to replace it (the old key stays published while its tokens live), or set "
        "AUTH_SIGNING_ALG=" +
        have);
  }
  return key;
}

boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

}  // namespace

int RunServe(const AuthConfig& config, std::ostream& err) {
  for (const std::string& warning : LifetimeWarnings(config)) logging::Warn(warning);
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  std::shared_ptr<const jwt::SigningKey> key;
  try {
    key = LoadSigningKey(config);
  } catch (const std::exception& e) {
    err << "bookstore-auth: AUTH_SIGNING_KEY_FILE: " << e.what() << "\n";
    return 1;
  }
  AuthApp app(config, db, key, SystemClock::Instance(), SodiumRandom::Instance());
  if (auto started = app.Start(); !started.ok()) {
    err << "bookstore-auth: " << started.error().message << "\n";
    return 1;
  }
  auto metrics = std::make_shared<Metrics>("auth");
  auto options = app.ServerOptionsFromConfig();
  options.metrics = metrics;
  http::Server server(options, app.BuildRouter(metrics));
  try {
    const uint16_t port = server.Listen();
    logging::Event("listening", {{"port", std::to_string(port), true},
                                 {"issuer", config.common.issuer, false},
                                 {"kid", key->kid(), false}});
  } catch (const std::exception& e) {
    err << "bookstore-auth: " << e.what() << "\n";
    return 1;
  }
  server.Run(/*handle_signals=*/true);
  logging::Info("stopped");
  return 0;
}

int RunInitDb(const AuthConfig& config, std::ostream& out, std::ostream& err) {
  std::shared_ptr<db::Database> db;
  try {
    db = OpenDb(config);
  } catch (const std::exception& e) {
    err << "bookstore-auth: BOOKSTORE_DATABASE_URL: " << e.what() << "\n";
    return 1;
  }
  int applied = 0;
  try {
    applied = db::Migrate(*db);
  } catch (const std::exception& e) {
    err << "bookstore-auth: init-db: " << db::OperatorMessage("cannot migrate the database", *db, e)
        << "\n";
    return 1;
  }
  try {
    AuthApp app(config, db, LoadSigningKey(config), SystemClock::Instance(),
                SodiumRandom::Instance());
    auto created = app.clients().EnsureDefaults();
    if (!created.ok()) {
      err << "bookstore-auth: " << created.error().message << "\n";
      return 1;
    }
    if (auto published = app.Start(); !published.ok()) {
      err << "bookstore-auth: " << published.error().message << "\n";
      return 1;
    }
    out << "database ready: " << applied << " migration(s) applied, " << *created
        << " default client(s) created\n";
    return 0;
  } catch (const std::exception& e) {
    err << "bookstore-auth: init-db: " << e.what() << "\n";
    return 1;
  }
}

int RunInitAdmin(const AuthConfig& config, const std::string& username,
                 const std::optional<std::string>& password, bool reset_password, std::ostream& out,
                 std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  PasswordHasher hasher(config.common.password_cost);
  auto result = EnsureAdmin(*db, hasher, SystemClock::Instance(), SodiumRandom::Instance(),
                            username, password, reset_password);
  if (!result.ok()) {
    err << "bookstore-auth: " << result.error().message << "\n";
    return result.error().code == Errc::kInvalidArgument ? 2 : 1;
  }
  if (result->reset) {
    out << "admin '" << username << "': password reset"
        << (result->generated_password.empty() ? "" : " to: " + result->generated_password)
        << "\n(every login session and refresh token of theirs has ended"
        << (result->generated_password.empty() ? ")\n" : "; shown once, store it safely)\n");
  } else if (!result->created) {
    out << "user '" << username << "' already exists; left unchanged (--reset-password "
        << "sets a new password)\n";
  } else if (!result->generated_password.empty()) {
    out << "admin '" << username << "' created with password: " << result->generated_password
        << "\n(shown once; store it safely)\n";
  } else {
    out << "admin '" << username << "' created\n";
  }
  return 0;
}

namespace {

// One line for a failed client command; exit 2 for bad input, 1 otherwise.
int ClientFailure(const Error& e, std::ostream& err) {
  err << "bookstore-auth: " << e.message;
  for (const auto& f : e.fields) err << " (" << f.field << ": " << f.message << ")";
  err << "\n";
  return e.code == Errc::kInvalidArgument || e.code == Errc::kNotFound ? 2 : 1;
}

// {"client_id"} plus "client_secret" when one was issued.
void PrintClient(const RegisteredClient& client, std::ostream& out) {
  boost::json::object o{{"client_id", client.client_id}};
  if (!client.client_secret.empty()) o["client_secret"] = client.client_secret;
  out << boost::json::serialize(o) << "\n";
}

}  // namespace

int RunClientAdd(const AuthConfig& config, const NewClient& client, std::ostream& out,
                 std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  ClientService clients(db, SystemClock::Instance(), SodiumRandom::Instance());
  auto registered = clients.Register(client);
  if (!registered.ok()) return ClientFailure(registered.error(), err);
  PrintClient(*registered, out);
  return 0;
}

int RunClientUpdate(const AuthConfig& config, const ClientChange& change, std::ostream& out,
                    std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  ClientService clients(db, SystemClock::Instance(), SodiumRandom::Instance());
  auto updated = clients.Update(change);
  if (!updated.ok()) return ClientFailure(updated.error(), err);
  PrintClient(*updated, out);
  return 0;
}

int RunClientDelete(const AuthConfig& config, const std::string& client_id, std::ostream& out,
                    std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  ClientService clients(db, SystemClock::Instance(), SodiumRandom::Instance());
  if (auto removed = clients.Remove(client_id); !removed.ok()) {
    return ClientFailure(removed.error(), err);
  }
  out << "client '" << client_id << "' deleted, with its codes and refresh tokens\n";
  return 0;
}

int RunClientList(const AuthConfig& config, std::ostream& out, std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  ClientService clients(db, SystemClock::Instance(), SodiumRandom::Instance());
  auto list = clients.List();
  if (!list.ok()) {
    err << "bookstore-auth: " << list.error().message << "\n";
    return 1;
  }
  boost::json::array a;
  for (const auto& c : *list) {
    boost::json::object o{{"client_id", c.client_id},
                          {"name", c.name},
                          {"confidential", c.confidential},
                          {"redirect_uris", Strings(c.redirect_uris)},
                          {"post_logout_redirect_uris", Strings(c.post_logout_redirect_uris)}};
    if (c.allowed_scopes) {
      o["scopes"] = Strings(*c.allowed_scopes);
    } else {
      o["scopes"] = nullptr;
    }
    a.push_back(std::move(o));
  }
  out << boost::json::serialize(a) << "\n";
  return 0;
}

int RunKeysRotate(const AuthConfig& config, std::ostream& out, std::ostream& err) {
  auto db = OpenMigrated(config, err);
  if (!db) return 1;
  auto result = KeyService::Rotate(*db, SystemClock::Instance(), config.signing_key_file,
                                   config.access_token_ttl, SigningAlg(config));
  if (!result.ok()) {
    err << "bookstore-auth: " << result.error().message << "\n";
    return 1;
  }
  boost::json::object o{{"kid", result->new_kid},
                        {"previous_kid", result->previous_kid},
                        {"previous_published_until", FormatRfc3339(result->previous_retire_after)},
                        {"previous_key_file", result->previous_key_file}};
  out << boost::json::serialize(o) << "\n";
  return 0;
}

}  // namespace bookstore::auth
