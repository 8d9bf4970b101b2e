#include "book_service/services/demo_seed.h"

#include "book_service/domain/money.h"
#include "book_service/domain/validation.h"
#include "book_service/services/book_service.h"

namespace bookstore::book {

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, in_quotes = false, any = false;
  int line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    quoted = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    any = true;
    if (c == '"') {
      if (!field.empty() || quoted) {
        return Error::InvalidArgument("bad quoting on CSV line " + std::to_string(line));
      }
      in_quotes = quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_field();
      if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
      record.clear();
      any = false;
      ++line;
    } else {
      field += c;
    }
  }
  if (in_quotes)
    return Error::InvalidArgument("unterminated quote on CSV line " + std::to_string(line));
  if (any) {
    end_field();
    if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
  }
  return records;
}

Result<SeedReport> SeedDemoBooks(BookService& books, std::string_view csv) {
  auto records = ParseCsv(csv);
  if (!records.ok()) return std::move(records).error();
  SeedReport report;
  for (size_t i = 1; i < records->size(); ++i) {  // line 0 is the header
    const auto& r = (*records)[i];
    const std::string where = "demo catalogue line " + std::to_string(i + 1);
    if (r.size() != 6) return Error::InvalidArgument(where + ": expected 6 fields");
    BookFields f;
    f.code = r[0];
    f.name = r[1];
    if (!r[2].empty()) f.publisher = r[2];
    f.quantity = ParsePositiveId(r[3]).value_or(0);
    if (!r[4].empty()) {
      f.imported_price_cents = ParseMoneyText(r[4]);
      if (!f.imported_price_cents) return Error::InvalidArgument(where + ": bad imported_price");
    }
    if (!r[5].empty()) {
      f.sell_price_cents = ParseMoneyText(r[5]);
      if (!f.sell_price_cents) return Error::InvalidArgument(where + ": bad sell_price");
    }
    auto created = books.CreateIfAbsent(f);
    if (!created.ok()) {
      auto error = std::move(created).error();
      error.message = where + ": " + error.message;
      return error;
    }
    (*created ? report.inserted : report.skipped)++;
  }
  return report;
}

}  // namespace bookstore::book
