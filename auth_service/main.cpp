// bookstore-auth: the OAuth 2.0 authorization server and its admin commands.
//   serve | init-db | init-admin [--reset-password] | client add|list|update|delete |
//   keys rotate
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "auth_service/auth_config.h"
#include "auth_service/cli_commands.h"
#include "common/allocator.h"
#include "common/logging.h"
#include "common/version.h"

int main(int argc, char** argv) {
  using namespace bookstore;
  TuneAllocator();
  CLI::App app{"Bookstore auth service (OAuth 2.0 authorization server)", "bookstore-auth"};
  app.fallthrough(true);
  app.require_subcommand(1);  // like bookstore-book: nothing starts by accident
  auth::AuthConfig config;
  auth::AddAuthOptions(app, config);
  AddVersionFlag(app);

  auto* serve = app.add_subcommand("serve", "Run the HTTP service");
  auto* init_db = app.add_subcommand("init-db", "Create or migrate the schema and default clients");
  auto* init_admin = app.add_subcommand(
      "init-admin", "Create the admin user (BOOKSTORE_ADMIN_USERNAME, BOOKSTORE_ADMIN_PASSWORD)");
  std::string admin_username = "admin";
  init_admin->add_option("--username", admin_username, "Admin user name")
      ->envname("BOOKSTORE_ADMIN_USERNAME");
  bool reset_password = false;
  init_admin->add_flag("--reset-password", reset_password,
                       "Give an existing admin a new password (BOOKSTORE_ADMIN_PASSWORD, or "
                       "generated and printed once) and end their sessions and refresh tokens");

  auto* client = app.add_subcommand("client", "Manage OAuth clients");
  client->require_subcommand(1);
  auto* client_add = client->add_subcommand("add", "Register a client; prints its id and secret");
  auth::NewClient new_client;
  client_add->add_option("--client-id", new_client.client_id, "Client id")->required();
  client_add->add_option("--redirect-uri", new_client.redirect_uris, "Redirect URI (repeatable)")
      ->required();
  client_add->add_flag("--confidential", new_client.confidential,
                       "A confidential client (gets a secret)");
  client_add->add_option("--scope", new_client.scopes, "Allowed scope (repeatable; default all)");
  client_add->add_option("--name", new_client.name, "Display name on the login page");
  client_add->add_option("--post-logout-redirect-uri", new_client.post_logout_redirect_uris,
                         "Post-logout redirect URI (repeatable)");
  auto* client_list = client->add_subcommand("list", "List clients as JSON (no secrets)");
  auto* client_update = client->add_subcommand(
      "update", "Change a client: each option given replaces that field (lists whole)");
  auth::ClientChange change;
  client_update->add_option("--client-id", change.client_id, "Client id")->required();
  std::string change_name;
  std::vector<std::string> change_uris, change_logout, change_scopes;
  bool all_scopes = false;
  auto* name_opt = client_update->add_option("--name", change_name, "Display name");
  auto* uri_opt =
      client_update->add_option("--redirect-uri", change_uris, "Redirect URI (repeatable)");
  auto* logout_opt = client_update->add_option("--post-logout-redirect-uri", change_logout,
                                               "Post-logout redirect URI (repeatable)");
  auto* scope_opt =
      client_update->add_option("--scope", change_scopes, "Allowed scope (repeatable)");
  client_update->add_flag("--all-scopes", all_scopes, "Allow every scope")->excludes(scope_opt);
  client_update->add_flag("--rotate-secret", change.rotate_secret,
                          "Issue a new secret (confidential clients); the old one stops working");
  auto* client_delete = client->add_subcommand(
      "delete", "Delete a client with its authorization codes and refresh tokens");
  std::string delete_id;
  client_delete->add_option("--client-id", delete_id, "Client id")->required();

  auto* keys = app.add_subcommand("keys", "Manage signing keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand("rotate", "Rotate the signing key");

  if (auto exit_code = ParseCommandLine(app, argc, argv)) return *exit_code;
  try {
    auth::FinalizeAuthConfig(config);
    logging::Init("auth", config.common.log_level);
  } catch (const std::exception& e) {
    std::cerr << "bookstore-auth: " << e.what() << "\n";
    return 2;
  }

  if (*init_db) return auth::RunInitDb(config, std::cout, std::cerr);
  if (*init_admin) {
    std::optional<std::string> password;
    if (const char* p = std::getenv("BOOKSTORE_ADMIN_PASSWORD"); p != nullptr && *p != '\0') {
      password = p;
    }
    return auth::RunInitAdmin(config, admin_username, password, reset_password, std::cout,
                              std::cerr);
  }
  if (*client_add) return auth::RunClientAdd(config, new_client, std::cout, std::cerr);
  if (*client_list) return auth::RunClientList(config, std::cout, std::cerr);
  if (*client_update) {
    if (name_opt->count() > 0) change.name = change_name;
    if (uri_opt->count() > 0) change.redirect_uris = change_uris;
    if (logout_opt->count() > 0) change.post_logout_redirect_uris = change_logout;
    if (scope_opt->count() > 0) change.scopes = change_scopes;
    if (all_scopes) change.scopes = std::vector<std::string>{};
    return auth::RunClientUpdate(config, change, std::cout, std::cerr);
  }
  if (*client_delete) return auth::RunClientDelete(config, delete_id, std::cout, std::cerr);
  if (*keys_rotate) return auth::RunKeysRotate(config, std::cout, std::cerr);
  (void)serve;
  return auth::RunServe(config, std::cerr);
}
