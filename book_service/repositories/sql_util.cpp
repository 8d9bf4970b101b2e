#include "book_service/repositories/sql_util.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>

#include "book_service/repositories/dynamic_query.h"
#include "common/db/result_memo.h"
#include "common/db/statement_cache.h"

namespace bookstore::book {
namespace {

struct CountRow {
  long long total = 0;
  void Into(soci::statement& st) { st.exchange(soci::into(total)); }
};

// "p<n>" (GCC 12 warns falsely about "p" + std::to_string(n) at -O2).
std::string ParamName(int n) {
  std::string name(1, 'p');
  name += std::to_string(n);
  return name;
}

}  // namespace

std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  out += '%';
  return out;
}

std::string FtsPhrase(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string ParamList::Add(std::string value) {
  std::string name = ParamName(next_++);
  strings_.emplace_back(name, std::move(value));
  return ':' + name;
}

std::string ParamList::Add(long long value) {
  std::string name = ParamName(next_++);
  ints_.emplace_back(name, value);
  return ':' + name;
}

void ParamList::BindTo(soci::statement& st) {
  for (auto& [name, value] : strings_) st.exchange(soci::use(value, name));
  for (auto& [name, value] : ints_) st.exchange(soci::use(value, name));
}

void AddCondition(std::string& where, const std::string& condition) {
  where += (where.empty() ? " WHERE " : " AND ") + condition;
}

void ParamList::SetValues(const ParamList& from) {
  if (from.strings_.size() != strings_.size() || from.ints_.size() != ints_.size()) {
    throw std::logic_error("ParamList::SetValues: different placeholders");
  }
  for (size_t i = 0; i < strings_.size(); ++i) strings_[i].second = from.strings_[i].second;
  for (size_t i = 0; i < ints_.size(); ++i) ints_[i].second = from.ints_[i].second;
}

std::string ParamList::Key() const {
  std::string key;
  for (const auto& [name, value] : strings_) {
    key += name + "=" + std::to_string(value.size()) + ":" + value + ";";
  }
  for (const auto& [name, value] : ints_) key += name + "=" + std::to_string(value) + ";";
  return key;
}

long long ParamList::Count(soci::session& sql, const std::string& count_sql) const {
  return db::MemoizedCount(sql, count_sql + "\n" + Key(), [&] {
    db::Cached<DynamicQuery<CountRow>> q(sql, count_sql, *this);
    q->Execute(*this);
    q->st.fetch();
    return q->row.total;
  });
}

}  // namespace bookstore::book
