// postgresql:// URL -> libpq conninfo (SOCI 4.0's PostgreSQL backend
// re-tokenises its connection string on whitespace and '=', so a URL
// reaches libpq mangled).

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <stdexcept>

#include "common/db/database.h"

namespace bookstore::db {
namespace {

void Append(std::string& out, const std::string& key, const std::string& value) {
  if (value.find_first_of(" \t\r\n\f\v") != std::string::npos) {
    throw std::invalid_argument("database URL: the " + key + " may not contain whitespace");
  }
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('\'');
  if (!out.empty()) out.push_back(' ');
  out += key + "=" + quoted;
}

}  // namespace

std::string PostgresConninfo(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::invalid_argument("database URL is not a valid postgresql:// URL");
  const boost::urls::url_view u = *parsed;
  if (u.scheme() != "postgresql" && u.scheme() != "postgres") {
    throw std::invalid_argument("database URL must start with postgresql://");
  }
  std::string out;
  if (!u.host().empty()) {
    std::string host = u.host_type() == boost::urls::host_type::ipv6 ? std::string(u.host_address())
                                                                     : std::string(u.host());
    Append(out, "host", host);
  }
  if (u.has_port()) Append(out, "port", std::string(u.port()));
  if (u.has_userinfo()) {
    if (!u.user().empty()) Append(out, "user", u.user());
    if (u.has_password()) Append(out, "password", u.password());
  }
  std::string path = u.path();
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (!path.empty()) Append(out, "dbname", path);
  for (const auto& param : u.params()) {
    if (param.key.empty()) continue;
    Append(out, param.key, param.has_value ? param.value : "");
  }
  return out;
}

std::string PostgresUrlForDisplay(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    const size_t scheme = url.find("://");
    const size_t at = url.rfind('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    return url.substr(0, scheme + 3) + "..." + url.substr(at);
  }
  boost::urls::url u(*parsed);
  u.remove_password();
  u.remove_query();
  u.remove_fragment();
  return std::string(u.buffer());
}

}  // namespace bookstore::db
