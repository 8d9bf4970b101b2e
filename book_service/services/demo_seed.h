#pragma once
// The demo catalogue of `seed-demo`: a CSV (code,name,publisher,quantity,
// imported_price,sell_price; header line first; sell_price may be empty to
// derive it) loaded through the book service. Idempotent: codes that exist
// are skipped.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bookstore::book {

class BookService;

// The CSV compiled into the binary (book_service/data/demo_books.csv).
std::string_view DemoBooksCsv();

// Splits CSV text into records of fields (RFC 4180 quoting); nullopt-free:
// malformed quoting yields an InvalidArgument naming the line.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

struct SeedReport {
  int inserted = 0;
  int skipped = 0;
};

Result<SeedReport> SeedDemoBooks(BookService& books, std::string_view csv);

}  // namespace bookstore::book
