#pragma once
// A small streaming JSON writer for response bodies. It writes numbers as
// given (money keeps its two-decimal text, e.g. 11.95, where a double
// serializer would print 1.195E1). Not thread-safe; one writer per body.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::book {

class JsonWriter {
 public:
  // `capacity`: bytes reserved up front (one allocation for a small body).
  explicit JsonWriter(size_t capacity = 256) { out_.reserve(capacity); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Object member name; the next call writes its value.
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Already-valid JSON text (e.g. FormatMoney output).
  JsonWriter& Raw(std::string_view json);
  JsonWriter& OptionalString(const std::optional<std::string>& value);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  // Writes the ',' that separates this value (or key) from the previous
  // one of its container, if any.
  void BeforeValue();
  std::string out_;
  bool need_comma_ = false;  // the output ends with a member or an element
  bool after_key_ = false;   // the output ends with a key: its value comes next
};

// `s` as a quoted, escaped JSON string.
std::string JsonQuote(std::string_view s);

}  // namespace bookstore::book
