#include "auth_service/oauth/client_credentials.h"

#include <cctype>

#include "common/http/message.h"
#include "common/jwt.h"

namespace bookstore::auth {
namespace {}  // namespace

bool IsBasicAuthorization(std::string_view header) {
  header = http::TrimBlanks(header);
  if (header.size() < 5) return false;
  for (size_t i = 0; i < 5; ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != "basic"[i]) return false;
  }
  return header.size() == 5 || header[5] == ' ';
}

std::optional<std::string> Base64Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string url(text);
  for (char& c : url) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    } else if (c == '-' || c == '_') {
      return std::nullopt;  // not in the standard alphabet
    }
  }
  return jwt::Base64UrlDecode(url);
}

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header) {
  if (!IsBasicAuthorization(header)) return std::nullopt;
  header = http::TrimBlanks(header);
  const std::string_view encoded = http::TrimBlanks(header.substr(5));
  const auto decoded = Base64Decode(encoded);
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto id = http::PercentDecode(std::string_view(*decoded).substr(0, colon), true);
  auto secret = http::PercentDecode(std::string_view(*decoded).substr(colon + 1), true);
  if (!id || !secret || id->empty()) return std::nullopt;
  return BasicCredentials{std::move(*id), std::move(*secret)};
}

}  // namespace bookstore::auth
