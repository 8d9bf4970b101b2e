#include "common/http/message.h"

#include <algorithm>
#include <cctype>

namespace bookstore::http {
namespace {

// ASCII case folding (header names are ASCII tokens; no locale lookups).
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return LowerAscii(x) == LowerAscii(y);
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits "a=1&b=2" into decoded pairs; pairs that fail to decode are skipped
// when `strict` is false, and fail the whole parse (as do more than
// kMaxFormParams pairs) when it is true.
std::optional<std::vector<std::pair<std::string, std::string>>> SplitForm(std::string_view text,
                                                                          bool strict) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto name = PercentDecode(piece.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : PercentDecode(piece.substr(eq + 1), true);
    if (!name || !value) {
      if (strict) return std::nullopt;
      continue;
    }
    if (strict && out.size() == kMaxFormParams) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace

const std::string* Headers::Get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

std::string_view Headers::GetOr(std::string_view name, std::string_view fallback) const {
  const std::string* value = Get(name);
  return value ? std::string_view(*value) : fallback;
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& field) { return EqualsIgnoreCase(field.first, name); });
}

bool Principal::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (auto& [key, value] : QueryParams()) {
    if (key == name) return std::move(value);
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Request::QueryParams() const {
  return *SplitForm(query, /*strict=*/false);
}

Response Response::Json(int status, std::string body) {
  return Text(status, std::move(body), "application/json");
}

Response Response::Html(int status, std::string body) {
  return Text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.headers.Reserve(4);  // room for the fields the server adds (request id, CORS)
  response.headers.Set("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  return response;
}

Response Response::Redirect(std::string location, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Location", std::move(location));
  return response;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body) {
  return SplitForm(body, /*strict=*/true);
}

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// Allocation-free: it runs on every request with a query string.
std::string_view QueryProblem(std::string_view query) {
  size_t count = 0;
  bool in_piece = false;
  for (size_t i = 0; i < query.size(); ++i) {
    char c = query[i];
    if (c == '&') {
      in_piece = false;
      continue;
    }
    if (!in_piece) {
      in_piece = true;
      if (++count > kMaxFormParams) return "the query string has more than 1000 parameters";
    }
    if (c == '%') {
      const int hi = i + 2 < query.size() ? HexValue(query[i + 1]) : -1;
      const int lo = hi >= 0 ? HexValue(query[i + 2]) : -1;
      if (lo < 0) return "the query string has a malformed percent-escape";
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (HasControlChars(std::string_view(&c, 1))) {
      return "a query parameter contains a control character";
    }
  }
  return {};
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    // The run up to the next escape, copied at once (tokens have none).
    size_t end = i;
    while (end < s.size() && s[end] != '%' && !(plus_is_space && s[end] == '+')) ++end;
    out.append(s.data() + i, end - i);
    if (end == s.size()) break;
    if (s[end] == '+') {
      out.push_back(' ');
      i = end + 1;
      continue;
    }
    if (end + 2 >= s.size()) return std::nullopt;
    const int hi = HexValue(s[end + 1]);
    const int lo = HexValue(s[end + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i = end + 3;
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string MediaType(std::string_view content_type) {
  std::string out(TrimBlanks(content_type.substr(0, content_type.find(';'))));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace bookstore::http
