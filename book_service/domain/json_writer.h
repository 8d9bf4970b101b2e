#pragma once
// A small streaming JSON writer for response bodies. It writes numbers as
// given (money keeps its two-decimal text, e.g. 11.95, where a double
// serializer would print 1.195E1). Not thread-safe; one writer per body.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::book {

// An object member name written into the code: checked at compile time
// to need no escaping, so the writer copies it as it is.
class JsonKey {
 public:
  template <size_t N>
  consteval JsonKey(const char (&name)[N]) : name_(name, N - 1) {  // NOLINT: implicit
    for (char c : name_) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') {
        throw "a JSON key written into the code must need no escaping";
      }
    }
  }
  constexpr std::string_view name() const { return name_; }

 private:
  std::string_view name_;
};

class JsonWriter {
 public:
  // `capacity`: bytes reserved up front (one allocation for a small body).
  explicit JsonWriter(size_t capacity = 256) { buf_.resize(capacity); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Object member name; the next call writes its value.
  JsonWriter& Key(JsonKey key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Already-valid JSON text (e.g. FormatMoney output).
  JsonWriter& Raw(std::string_view json);
  JsonWriter& OptionalString(const std::optional<std::string_view>& value);

  // The JSON written so far (valid until the next call).
  std::string_view str() const { return {buf_.data(), used_}; }
  // The JSON written; leaves the writer empty, as if new.
  std::string Take() {
    buf_.resize(used_);
    used_ = 0;
    need_comma_ = after_key_ = false;
    return std::move(buf_);
  }

 private:
  // Writes the ',' that separates this value (or key) from the previous
  // one of its container, if any.
  void BeforeValue();
  // Where the next `n` bytes go (buf_ grows when needed); Commit(n) then
  // counts them as written. The body is written in place, without the
  // per-call checks of std::string::append.
  char* Room(size_t n) {
    if (buf_.size() - used_ < n) Grow(n);
    return buf_.data() + used_;
  }
  void Commit(size_t n) { used_ += n; }
  void Grow(size_t n);
  void Put(std::string_view s) {
    if (s.empty()) return;
    std::memcpy(Room(s.size()), s.data(), s.size());
    Commit(s.size());
  }
  void Put(char c) {
    *Room(1) = c;
    Commit(1);
  }
  // `s` quoted and escaped.
  void PutQuoted(std::string_view s);

  std::string buf_;  // [0, used_) is the body so far; the rest is room
  size_t used_ = 0;
  bool need_comma_ = false;  // the output ends with a member or an element
  bool after_key_ = false;   // the output ends with a key: its value comes next
};

// `s` as a quoted, escaped JSON string.
std::string JsonQuote(std::string_view s);

}  // namespace bookstore::book
