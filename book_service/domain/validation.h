#pragma once
// Value rules of the contract (§2, §4), as pure functions. Each returns the
// client-facing message for a bad value, or nullopt when it is fine.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "book_service/domain/models.h"
#include "common/errors.h"
#include "common/ids.h"

namespace bookstore::book {

constexpr int64_t kMaxQuantity = 1'000'000;
constexpr int64_t kMaxOrderLines = 100;
constexpr int64_t kMaxLineQuantity = 1000;
constexpr int64_t kMaxPageSize = 100;

std::optional<std::string> CheckBookCode(std::string_view code);
std::optional<std::string> CheckBookName(std::string_view name);
std::optional<std::string> CheckPublisher(std::string_view publisher);
std::optional<std::string> CheckStock(int64_t quantity);
std::optional<std::string> CheckPriceCents(int64_t cents);
std::optional<std::string> CheckUsername(std::string_view username);
std::optional<std::string> CheckPassword(std::string_view password);
std::optional<std::string> CheckRole(std::string_view role);
// Idempotency-Key header value: 1..128 printable ASCII characters.
std::optional<std::string> CheckIdempotencyKey(std::string_view key);

// Every bad field of a create (`creating`: code, name and a price required;
// sell price derived from imported when absent) or partial update.
std::vector<FieldError> ValidateBookFields(const BookFields& fields, bool creating);

// Every bad line of a new order: 1..100 lines, quantity 1..1000, positive
// book ids, no book twice.
std::vector<FieldError> ValidateOrderLines(const std::vector<OrderLine>& lines);

// Page and page_size from query text ("" fields when absent): page >= 1,
// page_size 1..100 (default 20). Appends errors naming the parameter.
PageRequest ParsePageRequest(const std::optional<std::string>& page,
                             const std::optional<std::string>& page_size,
                             std::vector<FieldError>& errors);

// Ids in paths and queries: common/ids.h.
using bookstore::ParsePositiveId;

}  // namespace bookstore::book
