#include "book_service/domain/request_decoding.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "book_service/domain/money.h"
#include "book_service/domain/order_status.h"
#include "book_service/domain/validation.h"
#include "common/rfc3339.h"

namespace bookstore::book {
namespace json = boost::json;
namespace {

constexpr const char* kNotObject = "request body must be a JSON object";

// Reads one member into `out` when present; records a type error otherwise.
struct Reader {
  const json::object& obj;
  std::vector<FieldError>& errors;

  const json::value* Find(const char* key) const {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &it->value();
  }

  void String(const char* key, std::optional<std::string>& out) {
    if (const auto* v = Find(key)) {
      if (v->is_string())
        out = std::string(v->get_string());
      else
        errors.push_back({key, "must be a string"});
    }
  }

  void Integer(const char* key, std::optional<int64_t>& out, const char* message) {
    if (const auto* v = Find(key)) {
      if (v->is_int64())
        out = v->get_int64();
      else
        errors.push_back({key, message});
    }
  }

  void Money(const char* key, std::optional<int64_t>& out) {
    if (const auto* v = Find(key)) {
      if (auto cents = ParseMoneyJson(*v))
        out = cents;
      else
        errors.push_back({key, "must be a number 0..1000000 with at most 2 decimals"});
    }
  }
};

bool HasField(const std::vector<FieldError>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

std::optional<std::string> Get(const QueryList& query, std::string_view name) {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Error Invalid(std::vector<FieldError> errors) {
  return Error::InvalidArgument("invalid request", std::move(errors));
}

Error InvalidQuery(std::vector<FieldError> errors) {
  return Error::InvalidArgument("invalid query parameters", std::move(errors));
}

std::optional<int64_t> QueryMoney(const QueryList& query, const char* name,
                                  std::vector<FieldError>& errors) {
  const auto text = Get(query, name);
  if (!text) return std::nullopt;
  const auto cents = ParseMoneyText(*text);
  if (!cents) errors.push_back({name, "must be a number 0..1000000 with at most 2 decimals"});
  return cents;
}

}  // namespace

Result<BookFields> DecodeBookFields(const json::value& body, bool creating) {
  if (!body.is_object()) return Error::InvalidArgument(kNotObject);
  std::vector<FieldError> errors;
  Reader r{body.get_object(), errors};
  BookFields f;
  r.String("code", f.code);
  r.String("name", f.name);
  if (const auto* v = r.Find("publisher")) {
    if (v->is_null())
      f.publisher = std::optional<std::string>{};
    else if (v->is_string())
      f.publisher = std::string(v->get_string());
    else
      errors.push_back({"publisher", "must be a string or null"});
  }
  r.Integer("quantity", f.quantity, "must be an integer 0..1000000");
  r.Money("imported_price", f.imported_price_cents);
  r.Money("sell_price", f.sell_price_cents);
  // Value rules for the members whose type was right.
  for (auto& e : ValidateBookFields(f, creating)) {
    if (!HasField(errors, e.field)) errors.push_back(std::move(e));
  }
  if (!errors.empty()) return Invalid(std::move(errors));
  return f;
}

Result<std::vector<OrderLine>> DecodeOrderLines(const json::value& body) {
  if (!body.is_object()) return Error::InvalidArgument(kNotObject);
  const auto& obj = body.get_object();
  auto it = obj.find("items");
  if (it == obj.end() || !it->value().is_array()) {
    return Invalid({{"items", "must be an array of {book_id, quantity}"}});
  }
  const auto& arr = it->value().get_array();
  if (arr.empty() || static_cast<int64_t>(arr.size()) > kMaxOrderLines) {
    return Invalid({{"items", "must hold 1..100 items"}});
  }
  std::vector<FieldError> errors;
  std::vector<OrderLine> lines;
  std::vector<std::string> not_objects;  // "items[2]": no further errors for it
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    OrderLine line;
    if (!arr[i].is_object()) {
      not_objects.push_back("items[" + std::to_string(i) + "]");
      errors.push_back({not_objects.back(), "must be an object"});
      lines.push_back({0, 1});  // keeps the indexes of later lines
      continue;
    }
    const auto& item = arr[i].get_object();
    auto b = item.find("book_id");
    if (b == item.end() || !b->value().is_int64() || b->value().get_int64() <= 0) {
      errors.push_back({prefix + "book_id", "must be a positive integer"});
    } else {
      line.book_id = b->value().get_int64();
    }
    auto q = item.find("quantity");
    if (q == item.end() || !q->value().is_int64()) {
      errors.push_back({prefix + "quantity", "must be an integer 1..1000"});
      line.quantity = 1;  // reported already; keep the range check quiet
    } else {
      line.quantity = q->value().get_int64();
    }
    lines.push_back(line);
  }
  for (auto& e : ValidateOrderLines(lines)) {
    const bool of_non_object = std::any_of(not_objects.begin(), not_objects.end(),
                                           [&](auto& p) { return e.field.rfind(p + ".", 0) == 0; });
    if (!of_non_object && !HasField(errors, e.field)) errors.push_back(std::move(e));
  }
  if (!errors.empty()) return Invalid(std::move(errors));
  return lines;
}

Result<UserFields> DecodeUserFields(const json::value& body) {
  if (!body.is_object()) return Error::InvalidArgument(kNotObject);
  std::vector<FieldError> errors;
  Reader r{body.get_object(), errors};
  UserFields f;
  r.String("username", f.username);
  r.String("password", f.password);
  r.String("role", f.role);
  if (!errors.empty()) return Invalid(std::move(errors));
  return f;
}

Result<std::string> DecodeStatus(const json::value& body) {
  if (!body.is_object()) return Error::InvalidArgument(kNotObject);
  const auto& obj = body.get_object();
  auto it = obj.find("status");
  if (it == obj.end() || !it->value().is_string() ||
      !IsKnownStatus(std::string_view(it->value().get_string()))) {
    return Invalid(
        {{"status", "must be one of new, processing, shipping, delivered, canceled, rejected"}});
  }
  return std::string(it->value().get_string());
}

std::optional<std::pair<std::string, bool>> SortColumn(std::string_view key) {
  static const std::map<std::string_view, std::string> kColumns = {
      {"id", "id"},
      {"name", "name"},
      {"code", "code"},
      {"sell_price", "sell_price_cents"},
      {"quantity", "quantity"}};
  const bool desc = !key.empty() && key.front() == '-';
  if (desc) key.remove_prefix(1);
  auto it = kColumns.find(key);
  if (it == kColumns.end()) return std::nullopt;
  return std::pair{it->second, desc};
}

Result<BookQuery> ParseBookQuery(const QueryList& query) {
  std::vector<FieldError> errors;
  BookQuery out;
  out.q = Get(query, "q");
  if (out.q && out.q->empty()) out.q.reset();
  out.publisher = Get(query, "publisher");
  out.min_price_cents = QueryMoney(query, "min_price", errors);
  out.max_price_cents = QueryMoney(query, "max_price", errors);
  if (out.min_price_cents && out.max_price_cents && *out.min_price_cents > *out.max_price_cents) {
    errors.push_back({"min_price", "must not exceed max_price"});
  }
  if (const auto in_stock = Get(query, "in_stock")) {
    if (*in_stock == "true")
      out.in_stock = true;
    else if (*in_stock == "false")
      out.in_stock = false;
    else
      errors.push_back({"in_stock", "must be true or false"});
  }
  if (const auto sort = Get(query, "sort")) {
    if (const auto col = SortColumn(*sort)) {
      out.sort_sql = col->first;
      out.descending = col->second;
    } else {
      errors.push_back(
          {"sort",
           "must be one of id, name, code, sell_price, quantity, optionally prefixed by -"});
    }
  }
  out.page = ParsePageRequest(Get(query, "page"), Get(query, "page_size"), errors);
  if (!errors.empty()) return InvalidQuery(std::move(errors));
  return out;
}

Result<UserQuery> ParseUserQuery(const QueryList& query) {
  std::vector<FieldError> errors;
  UserQuery out;
  out.role = Get(query, "role");
  if (out.role && CheckRole(*out.role)) errors.push_back({"role", "must be admin or customer"});
  out.q = Get(query, "q");
  if (out.q && out.q->empty()) out.q.reset();
  out.page = ParsePageRequest(Get(query, "page"), Get(query, "page_size"), errors);
  if (!errors.empty()) return InvalidQuery(std::move(errors));
  return out;
}

Result<OrderQuery> ParseOrderQuery(const QueryList& query) {
  std::vector<FieldError> errors;
  OrderQuery out;
  out.status = Get(query, "status");
  if (out.status && !IsKnownStatus(*out.status)) {
    errors.push_back(
        {"status", "must be one of new, processing, shipping, delivered, canceled, rejected"});
  }
  if (const auto user = Get(query, "user_id")) {
    out.user_id = ParsePositiveId(*user);
    if (!out.user_id) errors.push_back({"user_id", "must be a positive integer"});
  }
  for (const auto& [name, target] :
       {std::pair{"created_from", &out.created_from}, std::pair{"created_to", &out.created_to}}) {
    if (const auto text = Get(query, name)) {
      *target = ParseRfc3339(*text);
      if (!*target) {
        errors.push_back({name, "must be an RFC 3339 date-time (2026-12-01T09:30:00Z) or date"});
      }
    }
  }
  if (out.created_from && out.created_to && *out.created_from >= *out.created_to) {
    errors.push_back({"created_to", "must be later than created_from"});
  }
  out.page = ParsePageRequest(Get(query, "page"), Get(query, "page_size"), errors);
  if (!errors.empty()) return InvalidQuery(std::move(errors));
  return out;
}

}  // namespace bookstore::book
