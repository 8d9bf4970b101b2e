#include "common/version.h"

#include <openssl/crypto.h>
#include <soci/version.h>
#include <sodium.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <boost/version.hpp>

namespace bookstore {
namespace {

// 400003 -> "4.0.3" (the encoding of SOCI_VERSION and BOOST_VERSION).
std::string Dotted(long v) {
  return std::to_string(v / 100000) + "." + std::to_string(v / 100 % 1000) + "." +
         std::to_string(v % 100);
}

}  // namespace

std::string_view Version() { return BOOKSTORE_VERSION; }

std::string VersionText(std::string_view program) {
  const size_t slash = program.find_last_of('/');
  if (slash != std::string_view::npos) program.remove_prefix(slash + 1);
  std::string out(program);
  out += " " BOOKSTORE_VERSION "\n";
  out += "SQLite ";
  out += sqlite3_libversion();
  out += ", ";
  out += OpenSSL_version(OPENSSL_VERSION);
  out += ", libsodium ";
  out += sodium_version_string();
  out += ", SOCI " + Dotted(SOCI_VERSION);
  out += ", Boost " + Dotted(BOOST_VERSION);
  return out;
}

void AddVersionFlag(CLI::App& app) {
  app.set_version_flag("--version", [&app] { return VersionText(app.get_name()); });
}

}  // namespace bookstore
