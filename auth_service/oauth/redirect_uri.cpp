#include "auth_service/oauth/redirect_uri.h"

#include <cctype>

#include "common/http/message.h"

namespace bookstore::auth {
namespace {

// Length of the scheme (before ':'), or 0 when there is none.
size_t SchemeLength(std::string_view uri) {
  if (uri.empty() || !std::isalpha(static_cast<unsigned char>(uri[0]))) return 0;
  for (size_t i = 1; i < uri.size(); ++i) {
    const char c = uri[i];
    if (c == ':') return i;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return 0;
    }
  }
  return 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> ResolveRedirectUri(const std::vector<std::string>& registered,
                                              std::string_view requested) {
  if (requested.empty()) {
    if (registered.size() == 1) return registered.front();
    return std::nullopt;
  }
  for (const auto& uri : registered) {
    if (uri == requested) return uri;
  }
  return std::nullopt;
}

bool IsValidRedirectUriForRegistration(std::string_view uri) {
  if (uri.size() > 2000) return false;
  const size_t scheme_len = SchemeLength(uri);
  if (scheme_len == 0) return false;
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#') return false;
  }
  const std::string scheme = Lower(uri.substr(0, scheme_len));
  if (scheme == "http" || scheme == "https") {
    const std::string_view rest = uri.substr(scheme_len + 1);
    if (rest.substr(0, 2) != "//") return false;
    const std::string_view authority = rest.substr(2, rest.find_first_of("/?", 2) - 2);
    if (authority.empty() || authority.front() == ':') return false;
  }
  if (scheme == "javascript" || scheme == "data" || scheme == "vbscript") return false;
  return true;
}

std::string AppendQuery(std::string_view uri,
                        const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(uri);
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  if (!out.empty() && (out.back() == '?' || out.back() == '&')) sep = '\0';
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (sep != '\0') out += sep;
    out += http::PercentEncode(name);
    out += '=';
    out += http::PercentEncode(value);
    sep = '&';
  }
  return out;
}

std::string UriOrigin(std::string_view uri) {
  const size_t scheme_len = SchemeLength(uri);
  if (scheme_len == 0) return "";
  const std::string scheme = Lower(uri.substr(0, scheme_len));
  const std::string_view rest = uri.substr(scheme_len + 1);
  if (rest.substr(0, 2) != "//") return scheme + ":";
  const size_t end = rest.find_first_of("/?#", 2);
  std::string_view authority = rest.substr(2, end == std::string_view::npos ? end : end - 2);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return scheme + "://" + Lower(authority);
}

}  // namespace bookstore::auth
