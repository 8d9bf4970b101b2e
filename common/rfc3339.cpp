#include "common/rfc3339.h"

namespace bookstore {
namespace {

// `n` digits at text[at], or -1.
int Digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && Leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view t) {
  const int year = Digits(t, 0, 4), month = Digits(t, 5, 2), day = Digits(t, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || t.size() < 10 || t[4] != '-' ||
      t[7] != '-' || day > DaysIn(year, month)) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  if (t.size() == 10) return days * 86400;
  if (t[10] != 'T' && t[10] != 't') return std::nullopt;
  const int hour = Digits(t, 11, 2), minute = Digits(t, 14, 2), second = Digits(t, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
      t.size() < 20 || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  size_t at = 19;
  if (t[at] == '.') {
    const size_t first = ++at;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') ++at;
    if (at == first || at - first > 9) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
    ++at;
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    const int oh = Digits(t, at + 1, 2), om = Digits(t, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || at + 6 > t.size() || t[at + 3] != ':') {
      return std::nullopt;
    }
    offset = (t[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != t.size()) return std::nullopt;
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace bookstore
