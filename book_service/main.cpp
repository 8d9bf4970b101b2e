// bookstore-book: the book service (resource server).
//   serve      run the HTTP API (BOOK_PORT, default 5001) until SIGTERM/SIGINT
//   init-db    create or upgrade the database schema
//   seed-demo  load the built-in demo catalogue (codes that exist are skipped)
// A bad configuration value exits with status 2 and one line naming it.

#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "book_service/app.h"
#include "book_service/services/book_service.h"
#include "book_service/services/demo_seed.h"
#include "common/allocator.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"
#include "common/db/db_options.h"
#include "common/db/migrations.h"
#include "common/http/server.h"
#include "common/logging.h"
#include "common/version.h"

namespace {

using bookstore::book::BookConfig;

int Fail(const std::string& message, int code = 1) {
  std::cerr << "bookstore-book: " << message << "\n";
  return code;
}

std::shared_ptr<bookstore::db::Database> OpenDatabase(const BookConfig& config) {
  return bookstore::db::Database::Open(bookstore::db::DbOptionsFrom(config.common));
}

int Serve(const BookConfig& config) {
  bookstore::book::BookApp app(config);
  if (auto schema = bookstore::db::CheckSchema(app.database()); !schema.ok()) {
    bookstore::logging::Warn(schema.error().message);
  }
  app.Start();
  bookstore::http::Server server(app.ConfiguredServerOptions(), app.BuildRouter());
  const uint16_t port = server.Listen();
  bookstore::logging::Info("book service listening on port " + std::to_string(port));
  server.Run(/*handle_signals=*/true);
  app.Stop();
  bookstore::logging::Info("book service stopped");
  return 0;
}

int InitDb(const BookConfig& config) {
  auto db = OpenDatabase(config);
  int applied = 0;
  try {
    applied = bookstore::db::Migrate(*db);
  } catch (const std::exception& e) {
    return Fail("init-db: " +
                bookstore::db::OperatorMessage("cannot migrate the database", *db, e));
  }
  std::cout << "schema up to date (" << applied << " migration(s) applied)\n";
  return 0;
}

int SeedDemo(const BookConfig& config) {
  auto db = OpenDatabase(config);
  if (auto schema = bookstore::db::CheckSchema(*db); !schema.ok()) {
    return Fail(schema.error().message);
  }
  bookstore::book::BookService books(db, bookstore::SystemClock::Instance());
  auto report = bookstore::book::SeedDemoBooks(books, bookstore::book::DemoBooksCsv());
  if (!report.ok()) return Fail("seed-demo failed: " + report.error().message);
  std::cout << "{\"inserted\": " << report->inserted << ", \"skipped\": " << report->skipped
            << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bookstore::TuneAllocator();
  CLI::App app{"bookstore-book: the book service of the bookstore"};
  app.require_subcommand(1);
  BookConfig config;
  int port = config.port;
  bookstore::AddCommonOptions(app, config.common);
  bookstore::AddVersionFlag(app);
  auto* serve = app.add_subcommand("serve", "Run the HTTP service");
  bookstore::book::AddBookOptions(*serve, config, port);
  auto* init_db = app.add_subcommand("init-db", "Create or upgrade the database schema");
  auto* seed = app.add_subcommand("seed-demo", "Load the demo catalogue (idempotent)");
  for (auto* sub : {serve, init_db, seed}) sub->fallthrough();

  if (auto exit_code = bookstore::ParseCommandLine(app, argc, argv)) return *exit_code;
  try {
    bookstore::book::FinalizeBookConfig(config, port);
    bookstore::logging::Init("book", config.common.log_level);
  } catch (const std::exception& e) {
    return Fail(e.what(), 2);
  }
  try {
    if (*serve) return Serve(config);
    if (*init_db) return InitDb(config);
    return SeedDemo(config);
  } catch (const soci::soci_error&) {
    // Past the schema check: a query failed (the commands name the
    // database in their own messages before this).
    return Fail("database error: a query failed (check BOOKSTORE_DATABASE_URL and the log)");
  } catch (const std::exception& e) {
    // Bind failures and the like: one clear line, no stack trace.
    return Fail(e.what());
  }
}
