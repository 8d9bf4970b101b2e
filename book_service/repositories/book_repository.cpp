#include "book_service/repositories/book_repository.h"

#include <soci/soci.h>

#include "book_service/repositories/dynamic_query.h"
#include "book_service/repositories/sql_util.h"
#include "common/case_fold.h"
#include "common/db/result_memo.h"
#include "common/db/row_query.h"
#include "common/db/sqlite_reader.h"
#include "common/db/statement_cache.h"

namespace bookstore::book {
namespace {

constexpr const char* kColumns =
    "id, code, name, publisher, quantity, imported_price_cents, sell_price_cents, created_at, "
    "updated_at";

constexpr const char* kInsert =
    "INSERT INTO books (code, name, publisher, quantity, imported_price_cents, sell_price_cents, "
    "created_at, updated_at, name_fold, publisher_fold) VALUES (:code, :name, :publisher, "
    ":quantity, :imported, :sell, :now, :now, :name_fold, :publisher_fold) RETURNING id";

constexpr const char* kUpdate =
    "UPDATE books SET code = :code, name = :name, publisher = :publisher, quantity = :quantity, "
    "imported_price_cents = :imported, sell_price_cents = :sell, updated_at = :now, "
    "name_fold = :name_fold, publisher_fold = :publisher_fold WHERE id = :id";

// The comparison keys of the searchable columns (migration 006): the
// application's Unicode case folding where the text is not plain ASCII,
// lower() where it is. The PostgreSQL indexes are built on these exact
// expressions; the SQLite trigram index holds their values.
constexpr const char* kNameKey = "coalesce(name_fold, lower(name))";
constexpr const char* kCodeKey = "lower(code)";
constexpr const char* kPublisherKey = "coalesce(publisher_fold, lower(publisher))";

constexpr const char* kDelete = "DELETE FROM books WHERE id = :id";
constexpr const char* kFindByCode = "SELECT id FROM books WHERE code = :code";
// Set by kTakeStock: an order line references the book (order_items has
// no index on book_id on SQLite; migrations/sqlite/004_book_ordered.sql).
constexpr const char* kReferenced = "SELECT ordered FROM books WHERE id = :id";

constexpr const char* kTakeStock =
    "UPDATE books SET quantity = quantity - :q, updated_at = :now, ordered = 1 "
    "WHERE id = :id AND quantity >= :q RETURNING sell_price_cents, code, name";

// kTakeStock on SQLite, in two statements without RETURNING (see
// kInsertOrderSqlite in order_repository.cpp): the update, then (in the
// same transaction) the price.
constexpr const char* kTakeStockSqlite =
    "UPDATE books SET quantity = quantity - :q, updated_at = :now, ordered = 1 "
    "WHERE id = :id AND quantity >= :q";
constexpr const char* kPriceSqlite =
    "SELECT sell_price_cents, code, name FROM books WHERE id = :id";

// Capped at the stock limit: a cancellation always goes through (the books
// beyond 1,000,000 are not counted back).
constexpr const char* kReturnStock =
    "UPDATE books SET quantity = CASE WHEN quantity + :q > 1000000 THEN 1000000 "
    "ELSE quantity + :q END, updated_at = :now WHERE id = :id";

// A row of kColumns, with indicators for the nullable columns.
struct BookRow {
  Book b;
  long long id = 0, quantity = 0, imported = 0, sell = 0, created = 0, updated = 0;
  std::string publisher;
  soci::indicator publisher_ind = soci::i_ok, imported_ind = soci::i_ok;

  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(b.code));
    st.exchange(soci::into(b.name));
    st.exchange(soci::into(publisher, publisher_ind));
    st.exchange(soci::into(quantity));
    st.exchange(soci::into(imported, imported_ind));
    st.exchange(soci::into(sell));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }

  Book Get() const {
    Book out = b;
    out.id = id;
    out.publisher = publisher_ind == soci::i_ok ? std::optional(publisher) : std::nullopt;
    out.quantity = quantity;
    out.imported_price_cents =
        imported_ind == soci::i_ok ? std::optional<int64_t>(imported) : std::nullopt;
    out.sell_price_cents = sell;
    out.created_at = created;
    out.updated_at = updated;
    return out;
  }
};

// The shown columns of a kColumns row read from SQLite, as views valid
// until the statement is reset (round 5 of bench/README.md: no copies of
// the texts on GET /books/{id}).
BookView ViewBook(const db::SqliteReader& row) {
  BookView b;
  b.id = row.Int64(0);
  b.code = row.TextView(1);
  b.name = row.TextView(2);
  b.publisher = row.OptionalTextView(3);
  b.quantity = row.Int64(4);
  b.imported_price_cents = row.OptionalInt64(5);
  b.sell_price_cents = row.Int64(6);
  return b;
}

// A row of kColumns read straight from SQLite (db::SqliteReader).
Book ReadBook(const db::SqliteReader& row) {
  const BookView v = ViewBook(row);
  return Book{v.id,
              std::string(v.code),
              std::string(v.name),
              v.publisher ? std::optional<std::string>(*v.publisher) : std::nullopt,
              v.quantity,
              v.imported_price_cents,
              v.sell_price_cents,
              row.Int64(7),
              row.Int64(8)};
}

// Binds the writable columns of `book` (storage owned by the caller).
struct BookParams {
  std::string code, name, publisher, name_fold, publisher_fold;
  soci::indicator publisher_ind, imported_ind, name_fold_ind, publisher_fold_ind;
  long long quantity, imported, sell, now;

  explicit BookParams(const Book& book, int64_t now_ts)
      : code(book.code),
        name(book.name),
        publisher(book.publisher.value_or("")),
        publisher_ind(book.publisher ? soci::i_ok : soci::i_null),
        imported_ind(book.imported_price_cents ? soci::i_ok : soci::i_null),
        name_fold_ind(soci::i_null),
        publisher_fold_ind(soci::i_null),
        quantity(book.quantity),
        imported(book.imported_price_cents.value_or(0)),
        sell(book.sell_price_cents),
        now(now_ts) {
    if (auto fold = StoredFolding(name)) name_fold = std::move(*fold), name_fold_ind = soci::i_ok;
    if (auto fold = book.publisher ? StoredFolding(publisher) : std::nullopt) {
      publisher_fold = std::move(*fold), publisher_fold_ind = soci::i_ok;
    }
  }
};

// One book by id, prepared once per connection (db::Cached). On SQLite
// Find reads it through `sqlite` and SOCI's bindings (id, row) stay unused.
struct FindQuery {
  long long id = 0;
  BookRow row;
  soci::statement st;
  std::optional<db::SqliteReader> sqlite;  // of `st`, on SQLite only
  int id_index = 0;                        // of :id in `sqlite`
  explicit FindQuery(soci::session& sql) : st(sql) {
    db::PrepareRowQuery(st, row, std::string("SELECT ") + kColumns + " FROM books WHERE id = :id",
                        soci::use(id, "id"));
    sqlite = db::SqliteReader::Of(sql, st);
    if (sqlite) id_index = sqlite->ParameterIndex(":id");
  }
};

// Runs `q` for `id`; true when the book is there, its row then readable
// through q.sqlite on SQLite and in q.row elsewhere. The hottest read of
// the service (GET /books/{id}): on SQLite, reading past SOCI's
// conversions cut what the route adds over /healthz by a quarter
// (callgrind, bench/README.md round 3).
bool RunFind(FindQuery& q, int64_t id) {
  if (q.sqlite) {
    q.sqlite->BindInt64(q.id_index, id);
    return q.sqlite->Step();
  }
  q.id = id;
  return q.st.execute(true);
}

// kTakeStock, prepared once per connection. On SQLite kTakeStockSqlite
// run through `sqlite` (the order writer's hottest statement), elsewhere
// through SOCI.
struct TakeStockQuery {
  long long id = 0, quantity = 0, now = 0, price = 0;
  std::string code, name;
  soci::indicator price_ind = soci::i_null;
  soci::statement st;
  std::optional<db::SqliteReader> sqlite;
  explicit TakeStockQuery(soci::session& sql)
      : st(db::IsSqlite(sql) ? soci::statement(sql.prepare << kTakeStockSqlite)
                             : soci::statement((sql.prepare << kTakeStock, soci::use(quantity, "q"),
                                                soci::use(now, "now"), soci::use(id, "id"),
                                                soci::into(price, price_ind), soci::into(code),
                                                soci::into(name)))),
        sqlite(db::SqliteReader::Of(sql, st)) {}
};

// kPriceSqlite (SQLite only), prepared once per connection.
struct PriceQuery {
  soci::statement st;
  std::optional<db::SqliteReader> sqlite;
  explicit PriceQuery(soci::session& sql)
      : st(sql.prepare << kPriceSqlite), sqlite(db::SqliteReader::Of(sql, st)) {}
};

}  // namespace

int64_t BookRepository::Insert(soci::session& sql, const Book& book) {
  BookParams p(book, book.created_at);
  long long id = 0;
  sql << kInsert, soci::use(p.code, "code"), soci::use(p.name, "name"),
      soci::use(p.publisher, p.publisher_ind, "publisher"), soci::use(p.quantity, "quantity"),
      soci::use(p.imported, p.imported_ind, "imported"), soci::use(p.sell, "sell"),
      soci::use(p.now, "now"), soci::use(p.name_fold, p.name_fold_ind, "name_fold"),
      soci::use(p.publisher_fold, p.publisher_fold_ind, "publisher_fold"), soci::into(id);
  return id;
}

std::optional<Book> BookRepository::Find(soci::session& sql, int64_t id) {
  db::Cached<FindQuery> q(sql);
  if (!RunFind(*q, id)) return std::nullopt;
  return q->sqlite ? ReadBook(*q->sqlite) : q->row.Get();
}

bool BookRepository::Visit(soci::session& sql, int64_t id,
                           const std::function<void(const BookView&)>& visit) {
  db::Cached<FindQuery> q(sql);
  if (!RunFind(*q, id)) return false;
  if (q->sqlite) {
    visit(ViewBook(*q->sqlite));
  } else {
    visit(q->row.Get());
  }
  return true;
}

std::optional<int64_t> BookRepository::FindIdByCode(soci::session& sql, const std::string& code) {
  long long id = 0;
  soci::indicator ind = soci::i_null;
  sql << kFindByCode, soci::use(code, "code"), soci::into(id, ind);
  if (!sql.got_data()) return std::nullopt;
  return id;
}

bool BookRepository::Update(soci::session& sql, const Book& book) {
  BookParams p(book, book.updated_at);
  long long id = book.id;
  soci::statement st =
      (sql.prepare << kUpdate, soci::use(p.code, "code"), soci::use(p.name, "name"),
       soci::use(p.publisher, p.publisher_ind, "publisher"), soci::use(p.quantity, "quantity"),
       soci::use(p.imported, p.imported_ind, "imported"), soci::use(p.sell, "sell"),
       soci::use(p.now, "now"), soci::use(p.name_fold, p.name_fold_ind, "name_fold"),
       soci::use(p.publisher_fold, p.publisher_fold_ind, "publisher_fold"), soci::use(id, "id"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool BookRepository::Delete(soci::session& sql, int64_t id) {
  long long key = id;
  soci::statement st = (sql.prepare << kDelete, soci::use(key, "id"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool BookRepository::IsReferenced(soci::session& sql, int64_t id) {
  long long key = id, ordered = 0;
  sql << kReferenced, soci::use(key, "id"), soci::into(ordered);
  return ordered != 0;
}

std::shared_ptr<const Page<Book>> BookRepository::Search(soci::session& sql,
                                                         const BookQuery& query) {
  ParamList params;
  // No WHERE at all without filters: SQLite then counts by walking its
  // smallest index instead of evaluating a condition on every row.
  std::string where;
  // SQLite, text of 3+ characters: " FROM books_search WHERE ... MATCH :p",
  // the trigram index's matches.
  std::string matches;
  auto require = [&where](const std::string& condition) { AddCondition(where, condition); };
  if (query.q) {
    // The rule: the case-folded text is a substring of a column's key
    // (kNameKey, ...). Both sides are folded, so the comparison itself is
    // exact (LIKE's ASCII folding on SQLite finds nothing left to fold).
    const std::string folded = FoldCase(*query.q);
    if (sql.get_backend_name() == "sqlite3" && CodePoints(folded) >= 3) {
      // The same rows from the trigram index, which holds the keys
      // (migrations 003, 006); shorter text has no trigram: scan.
      matches = " FROM books_search WHERE books_search MATCH " + params.Add(FtsPhrase(folded));
    } else {
      // On PostgreSQL the pg_trgm indexes of migration 006 serve this LIKE.
      const std::string p = params.Add(ContainsPattern(folded));
      require(std::string("(") + kNameKey + " LIKE " + p + " ESCAPE '!' OR " + kCodeKey + " LIKE " +
              p + " ESCAPE '!' OR " + kPublisherKey + " LIKE " + p + " ESCAPE '!')");
    }
  }
  if (query.publisher) {
    require(std::string(kPublisherKey) + " = " + params.Add(FoldCase(*query.publisher)));
  }
  if (query.min_price_cents) require("sell_price_cents >= " + params.Add(*query.min_price_cents));
  if (query.max_price_cents) require("sell_price_cents <= " + params.Add(*query.max_price_cents));
  if (query.in_stock) require(*query.in_stock ? "quantity > 0" : "quantity = 0");
  const std::string filters = where;  // without the text match
  if (!matches.empty()) require("id IN (SELECT rowid" + matches + ")");

  // A text search without other filters is counted from the index alone.
  const std::string count_sql = !matches.empty() && filters.empty()
                                    ? "SELECT COUNT(*)" + matches
                                    : "SELECT COUNT(*) FROM books" + where;
  const ParamList count_params = params;
  // sort_sql comes from the whitelist in request_decoding.cpp, never from the client.
  const std::string dir = query.descending ? " DESC" : " ASC";
  std::string from = " FROM books";
  std::string order = " ORDER BY " + query.sort_sql + dir;
  if (!matches.empty() && query.sort_sql == "id") {
    // Walk the index's matches in rowid order and stop at the page: a
    // 20-row page of a common word over 100,000 books in ~40 us instead of
    // collecting every match first (~800 us with "id IN (...)").
    from = " FROM (SELECT rowid AS rid" + matches + ") AS m JOIN books ON books.id = m.rid";
    where = filters;
    order = " ORDER BY m.rid" + dir;
  } else if (query.sort_sql != "id") {
    order += ", id" + dir;
  }
  const std::string limit = " LIMIT " + params.Add(static_cast<long long>(query.page.page_size)) +
                            " OFFSET " + params.Add(static_cast<long long>(query.page.offset()));
  const std::string page_sql = std::string("SELECT ") + kColumns + from + where + order + limit;
  // The page and its total, reused while the database is unchanged
  // (common/db/result_memo.h); the page SQL and values determine both.
  return db::Memoized<Page<Book>>(sql, "books\n" + page_sql + "\n" + params.Key(), [&] {
    Page<Book> page;
    page.page = query.page.page;
    page.page_size = query.page.page_size;
    page.total = count_params.Count(sql, count_sql);
    db::Cached<DynamicQuery<BookRow>> q(sql, page_sql, params);
    q->Execute(params);
    while (q->st.fetch()) page.items.push_back(q->row.Get());
    return page;
  });
}

std::optional<BookRepository::Taken> BookRepository::TakeStock(soci::session& sql, int64_t id,
                                                               int64_t quantity, int64_t now) {
  db::Cached<TakeStockQuery> q(sql);
  if (auto& row = q->sqlite) {
    row->BindInt64(":q", quantity);
    row->BindInt64(":now", now);
    row->BindInt64(":id", id);
    row->Step();
    if (row->Changes() == 0) return std::nullopt;  // no such book, or too little stock
    db::Cached<PriceQuery> price(sql);
    db::SqliteReader& book = *price->sqlite;
    book.BindInt64(":id", id);
    if (!book.Step()) return std::nullopt;
    return Taken{book.Int64(0), std::string(book.TextView(1)), std::string(book.TextView(2))};
  }
  q->id = id;
  q->quantity = quantity;
  q->now = now;
  if (!q->st.execute(true) || q->price_ind != soci::i_ok) return std::nullopt;
  return Taken{q->price, q->code, q->name};
}

void BookRepository::ReturnStock(soci::session& sql, int64_t id, int64_t quantity, int64_t now) {
  long long key = id, q = quantity, ts = now;
  sql << kReturnStock, soci::use(q, "q"), soci::use(ts, "now"), soci::use(key, "id");
}

}  // namespace bookstore::book
