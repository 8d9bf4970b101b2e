#include "common/json_strict.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <string>
#include <unordered_set>
#include <vector>

namespace bookstore::json {
namespace {

namespace bj = boost::json;
using boost::system::error_code;

// A decimal as sign, significant digits (no leading or trailing zeros) and
// the power of ten of the last digit; zero has no digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  long long exponent = 0;
  bool operator==(const Decimal&) const = default;
};

Decimal Canonical(std::string_view text) {
  Decimal d;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  long long fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (!(d.digits.empty() && text[i] == '0')) d.digits.push_back(text[i]);
    if (in_fraction) ++fraction_digits;
  }
  long long exponent = 0;
  if (i < text.size()) {
    std::string_view e = text.substr(i + 1);
    if (!e.empty() && e.front() == '+') e.remove_prefix(1);
    std::from_chars(e.data(), e.data() + e.size(), exponent);
  }
  d.exponent = exponent - fraction_digits;
  while (!d.digits.empty() && d.digits.back() == '0') {
    d.digits.pop_back();
    ++d.exponent;
  }
  if (d.digits.empty()) d = Decimal{};
  return d;
}

class Handler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit Handler(bool exact_numbers) : exact_(exact_numbers) {}

  bool on_document_begin(error_code&) {
    stack.reset();
    return true;
  }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_object_begin(error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    keys_.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_string_part(bj::string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(bj::string_view s, std::size_t, error_code&) {
    stack.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) {
      problem = JsonProblem::kDuplicateKey;
      detail = std::move(key_);
      ec = bj::error::syntax;
      return false;
    }
    key_.clear();
    stack.push_key(s);
    return true;
  }
  bool on_number_part(bj::string_view s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, bj::string_view, error_code&) {
    number_.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, bj::string_view, error_code&) {
    number_.clear();
    stack.push_uint64(u);
    return true;
  }
  // Boost.JSON 1.81 converts long numbers imprecisely (off by an ulp); the
  // text is converted again with std::from_chars, which rounds correctly.
  bool on_double(double d, bj::string_view s, error_code& ec) {
    number_.append(s.data(), s.size());
    double precise = d;
    auto [ptr, err] = std::from_chars(number_.data(), number_.data() + number_.size(), precise);
    const bool converted = err == std::errc() && ptr == number_.data() + number_.size();
    if (converted) d = precise;
    if (exact_) {
      char buffer[32];
      auto [end, to_err] = std::to_chars(buffer, buffer + sizeof(buffer), d);
      if (!converted || to_err != std::errc() ||
          !SameDecimal(number_, std::string_view(buffer, end - buffer))) {
        problem = JsonProblem::kInexactNumber;
        detail = number_.substr(0, 64);
        ec = bj::error::syntax;
        return false;
      }
    }
    number_.clear();
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(bj::string_view, error_code&) { return true; }
  bool on_comment(bj::string_view, error_code&) { return true; }

  bj::value_stack stack;
  JsonProblem problem = JsonProblem::kNone;
  std::string detail;

 private:
  bool exact_;
  std::vector<std::unordered_set<std::string>> keys_;  // one per open object
  std::string key_;
  std::string number_;
};

}  // namespace

bool SameDecimal(std::string_view text, std::string_view shortest) {
  return Canonical(text) == Canonical(shortest);
}

StrictResult ParseStrict(std::string_view text, StrictOptions options) {
  bj::parse_options parse_options;
  parse_options.max_depth = static_cast<std::size_t>(options.max_depth);
  bj::basic_parser<Handler> parser(parse_options, options.exact_numbers);
  error_code ec;
  const size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && text.substr(used).find_first_not_of(" \t\r\n") != std::string_view::npos) {
    ec = bj::error::extra_data;
  }
  StrictResult result;
  if (ec) {
    result.problem = parser.handler().problem;
    if (result.problem == JsonProblem::kNone) {
      result.problem = ec == bj::error::too_deep ? JsonProblem::kTooDeep : JsonProblem::kSyntax;
    }
    result.detail = std::move(parser.handler().detail);
    return result;
  }
  result.value = std::make_shared<bj::value>(parser.handler().stack.release());
  return result;
}

}  // namespace bookstore::json
