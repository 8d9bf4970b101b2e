#pragma once
// Helpers shared by the repositories: LIKE patterns with escaping, and binding a variable list
// of named parameters to a statement (dynamic_query.h runs such SQL).

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace soci {
class soci_error;
class session;
class statement;
}  // namespace soci

namespace bookstore::book {

// "%" + text with % _ ! escaped by '!' + "%"; use with LIKE ... ESCAPE '!'.
std::string ContainsPattern(std::string_view text);

// `text` as one FTS5 phrase ("..." with '"' doubled): with the trigram
// tokenizer it matches rows holding `text` as a substring.
std::string FtsPhrase(std::string_view text);
// The number of UTF-8 code points of `text` (what the trigram tokenizer
// counts: fewer than 3 give no trigram, so no index lookup).
size_t CodePoints(std::string_view text);

// Appends `condition` to `where`: " WHERE c" for the first, " AND c" after.
// (No "WHERE 1 = 1": it keeps SQLite from its fast COUNT(*) path.)
void AddCondition(std::string& where, const std::string& condition);

// Named parameters whose number depends on the query (filters). Values are
// owned here and must outlive the statement they are bound to. Copyable
// (a copy owns its values and is bound to nothing).
class ParamList {
 public:
  // Returns the placeholder (":p3") for a new bound value.
  std::string Add(std::string value);
  std::string Add(long long value);
  // Binds every value to `st` (before st.prepare()).
  void BindTo(soci::statement& st);
  // Takes the values of `from`, which has the same placeholders (the same
  // SQL text built them); throws std::logic_error when it has not.
  void SetValues(const ParamList& from);
  // The placeholders with their values, unambiguously (a memo key).
  std::string Key() const;
  // Runs `count_sql` (a SELECT COUNT(*) ...) with the values added so far,
  // as a cached statement; on SQLite the result is memoised per connection
  // while the database is unchanged (db::MemoizedCount).
  long long Count(soci::session& sql, const std::string& count_sql) const;

 private:
  std::deque<std::pair<std::string, std::string>> strings_;
  std::deque<std::pair<std::string, long long>> ints_;
  int next_ = 0;
};

}  // namespace bookstore::book
