#include "book_service/domain/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace bookstore::book {

namespace {

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// True when one of the 8 bytes of `v` needs escaping (bit tricks of
// "hasless"/"haszero": a byte below 0x20, a '"' or a '\\').
bool AnyNeedsEscape(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  return (((v - kOnes * 0x20) & ~v & kHighs) | has_zero(v ^ (kOnes * '"')) |
          has_zero(v ^ (kOnes * '\\'))) != 0;
}

// The first index from `i` on whose byte needs escaping, or s.size().
size_t NextEscape(std::string_view s, size_t i) {
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t block;
    std::memcpy(&block, s.data() + i, 8);
    if (AnyNeedsEscape(block)) break;
  }
  while (i < s.size() && !NeedsEscape(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// The escape sequence of a byte that needs one.
std::string_view Escape(unsigned char c, char (&buf)[8]) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    default:
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      return std::string_view(buf, 6);
  }
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  JsonWriter w(s.size() + 2);
  w.String(s);
  return w.Take();
}

void JsonWriter::Grow(size_t n) { buf_.resize(std::max({buf_.size() * 2, used_ + n, size_t{64}})); }

void JsonWriter::PutQuoted(std::string_view s) {
  size_t i = NextEscape(s, 0);
  if (i == s.size()) {  // most text has nothing to escape: one copy
    char* p = Room(s.size() + 2);
    p[0] = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    Commit(s.size() + 2);
    return;
  }
  Put('"');
  size_t run = 0;  // start of the pending plain run
  for (; i < s.size(); i = NextEscape(s, i + 1)) {
    Put(s.substr(run, i - run));
    run = i + 1;
    char buf[8];
    Put(Escape(static_cast<unsigned char>(s[i]), buf));
  }
  Put(s.substr(run));
  Put('"');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
  } else if (need_comma_) {
    Put(',');
  }
  need_comma_ = true;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  Put('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  Put('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  Put('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  Put(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(JsonKey key) {
  BeforeValue();
  const std::string_view name = key.name();
  char* p = Room(name.size() + 3);
  p[0] = '"';
  std::memcpy(p + 1, name.data(), name.size());
  p[name.size() + 1] = '"';
  p[name.size() + 2] = ':';
  Commit(name.size() + 3);
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  PutQuoted(value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  constexpr size_t kMaxDigits = 20;  // "-9223372036854775808"
  char* p = Room(kMaxDigits);
  Commit(static_cast<size_t>(std::to_chars(p, p + kMaxDigits, value).ptr - p));
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) { return Raw(value ? "true" : "false"); }

JsonWriter& JsonWriter::Null() { return Raw("null"); }

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  Put(json);
  return *this;
}

JsonWriter& JsonWriter::OptionalString(const std::optional<std::string_view>& value) {
  return value ? String(*value) : Null();
}

}  // namespace bookstore::book
