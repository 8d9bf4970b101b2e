#include "common/case_fold.h"

#include <algorithm>
#include <cstdint>

namespace bookstore {
namespace {

struct FoldRange {
  uint32_t first, last;
  uint8_t stride;
  int32_t delta;
};
struct FoldLong {
  uint32_t cp;
  const char* utf8;
};

#include "common/case_fold_table.inc"

// Decodes one well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs,
// no surrogates, at most U+10FFFF). Returns its length, 0 when malformed.
size_t Decode(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n;
  uint32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void Encode(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Appends the folding of non-ASCII `cp` to `out`.
void FoldInto(uint32_t cp, std::string& out) {
  const auto* lng = std::lower_bound(std::begin(kFoldLong), std::end(kFoldLong), cp,
                                     [](const FoldLong& e, uint32_t v) { return e.cp < v; });
  if (lng != std::end(kFoldLong) && lng->cp == cp) {
    out += lng->utf8;
    return;
  }
  // The last range starting at or before cp.
  const auto* r = std::upper_bound(std::begin(kFoldRanges), std::end(kFoldRanges), cp,
                                   [](uint32_t v, const FoldRange& e) { return v < e.first; });
  if (r != std::begin(kFoldRanges)) {
    --r;
    if (cp <= r->last && (cp - r->first) % r->stride == 0) {
      Encode(static_cast<uint32_t>(static_cast<int32_t>(cp) + r->delta), out);
      return;
    }
  }
  Encode(cp, out);
}

}  // namespace

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : static_cast<char>(c);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = Decode(text, i, cp);
    if (n == 0) {
      out += static_cast<char>(c);  // malformed: the byte as it is
      ++i;
      continue;
    }
    FoldInto(cp, out);
    i += n;
  }
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::optional<std::string> StoredFolding(std::string_view text) {
  if (IsAscii(text)) return std::nullopt;
  return FoldCase(text);
}

}  // namespace bookstore
