#pragma once
// Turns JSON request bodies and query parameters into validated values of
// domain/models.h. Type rules: integers must be JSON integers ("5", 5.5 and
// true are not), money is a JSON number with at most two decimals. Every bad
// field is named in the returned InvalidArgument error. Unknown members and
// unknown query parameters are ignored.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "book_service/domain/models.h"
#include "common/result.h"

namespace boost::json {
class value;
}

namespace bookstore::book {

using QueryList = std::vector<std::pair<std::string, std::string>>;

Result<BookFields> DecodeBookFields(const boost::json::value& body, bool creating);
Result<std::vector<OrderLine>> DecodeOrderLines(const boost::json::value& body);

// {"username", "password", "role"}: any subset; types checked only (value
// rules are the user service's).
struct UserFields {
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> role;
};
Result<UserFields> DecodeUserFields(const boost::json::value& body);

// {"status": "..."}: a known status, else 400.
Result<std::string> DecodeStatus(const boost::json::value& body);

Result<BookQuery> ParseBookQuery(const QueryList& query);
Result<UserQuery> ParseUserQuery(const QueryList& query);
Result<OrderQuery> ParseOrderQuery(const QueryList& query);

// Sort key ("name", "-sell_price") to its SQL column; nullopt when not in the
// whitelist.
std::optional<std::pair<std::string, bool>> SortColumn(std::string_view key);

}  // namespace bookstore::book
