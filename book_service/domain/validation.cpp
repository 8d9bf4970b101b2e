#include "book_service/domain/validation.h"

#include <set>

#include "book_service/domain/money.h"
#include "common/http/message.h"
#include "common/passwords.h"

namespace bookstore::book {
namespace {

bool AllOf(std::string_view s, bool (*ok)(char)) {
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}

bool IsCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsUsernameChar(char c) { return IsCodeChar(c) || c == '.'; }

std::optional<int64_t> ParseBoundedInt(const std::optional<std::string>& text, int64_t lo,
                                       int64_t hi) {
  if (!text) return std::nullopt;
  const auto v = ParsePositiveId(*text);
  if (!v && *text == "0" && lo == 0) return 0;
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::string> CheckBookCode(std::string_view code) {
  if (code.empty() || code.size() > 32 || !AllOf(code, IsCodeChar)) {
    return "must be 1..32 characters of A-Z a-z 0-9 _ -";
  }
  return std::nullopt;
}

std::optional<std::string> CheckBookName(std::string_view name) {
  const long n = Utf8Length(name);
  if (n < 1 || n > 200) return "must be 1..200 characters";
  if (http::HasControlChars(name)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> CheckPublisher(std::string_view publisher) {
  const long n = Utf8Length(publisher);
  if (n < 0 || n > 200) return "must be at most 200 characters";
  if (http::HasControlChars(publisher)) return "must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> CheckStock(int64_t quantity) {
  if (quantity < 0 || quantity > kMaxQuantity) return "must be an integer 0..1000000";
  return std::nullopt;
}

std::optional<std::string> CheckPriceCents(int64_t cents) {
  if (cents < 0 || cents > kMaxPriceCents)
    return "must be a number 0..1000000 with at most 2 decimals";
  return std::nullopt;
}

std::optional<std::string> CheckUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 32 || !AllOf(username, IsUsernameChar)) {
    return "must be 3..32 characters of A-Z a-z 0-9 _ . -";
  }
  return std::nullopt;
}

std::optional<std::string> CheckPassword(std::string_view password) {
  const long n = Utf8Length(password);
  if (n < 8 || n > 128) return "must be 8..128 characters";
  return std::nullopt;
}

std::optional<std::string> CheckRole(std::string_view role) {
  if (role != "admin" && role != "customer") return "must be admin or customer";
  return std::nullopt;
}

std::optional<std::string> CheckIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > 128) return "must be 1..128 printable ASCII characters";
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return "must be 1..128 printable ASCII characters";
  }
  return std::nullopt;
}

std::vector<FieldError> ValidateBookFields(const BookFields& f, bool creating) {
  std::vector<FieldError> errors;
  auto check = [&](const char* field, const std::optional<std::string>& msg) {
    if (msg) errors.push_back({field, *msg});
  };
  if (f.code)
    check("code", CheckBookCode(*f.code));
  else if (creating)
    errors.push_back({"code", "is required"});
  if (f.name)
    check("name", CheckBookName(*f.name));
  else if (creating)
    errors.push_back({"name", "is required"});
  if (f.publisher && *f.publisher) check("publisher", CheckPublisher(**f.publisher));
  if (f.quantity) check("quantity", CheckStock(*f.quantity));
  if (f.imported_price_cents) check("imported_price", CheckPriceCents(*f.imported_price_cents));
  if (f.sell_price_cents) check("sell_price", CheckPriceCents(*f.sell_price_cents));
  if (creating && !f.sell_price_cents) {
    if (!f.imported_price_cents) {
      errors.push_back({"sell_price", "sell_price or imported_price is required"});
    } else if (*f.imported_price_cents >= 0 && *f.imported_price_cents <= kMaxPriceCents &&
               DeriveSellPrice(*f.imported_price_cents) > kMaxPriceCents) {
      errors.push_back({"imported_price", "derived sell_price (x1.10) must not exceed 1000000"});
    }
  }
  return errors;
}

std::vector<FieldError> ValidateOrderLines(const std::vector<OrderLine>& lines) {
  std::vector<FieldError> errors;
  if (lines.empty() || static_cast<int64_t>(lines.size()) > kMaxOrderLines) {
    errors.push_back({"items", "must hold 1..100 items"});
    return errors;
  }
  std::set<int64_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    if (lines[i].book_id <= 0) {
      errors.push_back({prefix + "book_id", "must be a positive integer"});
    } else if (!seen.insert(lines[i].book_id).second) {
      errors.push_back({prefix + "book_id", "book appears more than once"});
    }
    if (lines[i].quantity < 1 || lines[i].quantity > kMaxLineQuantity) {
      errors.push_back({prefix + "quantity", "must be an integer 1..1000"});
    }
  }
  return errors;
}

PageRequest ParsePageRequest(const std::optional<std::string>& page,
                             const std::optional<std::string>& page_size,
                             std::vector<FieldError>& errors) {
  PageRequest req;
  if (page) {
    const auto v = ParseBoundedInt(page, 1, 1'000'000'000);
    if (v)
      req.page = *v;
    else
      errors.push_back({"page", "must be an integer >= 1"});
  }
  if (page_size) {
    const auto v = ParseBoundedInt(page_size, 1, kMaxPageSize);
    if (v)
      req.page_size = *v;
    else
      errors.push_back({"page_size", "must be an integer 1..100"});
  }
  return req;
}

}  // namespace bookstore::book
