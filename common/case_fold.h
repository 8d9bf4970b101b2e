#pragma once
// Unicode full case folding (CaseFolding.txt, statuses C and F): the form
// in which book search text and the publisher filter are compared, computed
// by the application so that every engine compares the same strings (SQLite's
// lower() folds ASCII only; PostgreSQL's follows the cluster's locale).

#include <optional>
#include <string>
#include <string_view>

namespace bookstore {

// `text` with every code point replaced by its full case folding ("Ö" ->
// "ö", "ß" -> "ss", "Σ" and "ς" -> "σ"). Bytes that are not well-formed UTF-8
// are kept as they are. No normalisation: a decomposed "O" + U+0308 stays two
// code points. Linear in text.size(); thread-safe.
std::string FoldCase(std::string_view text);

// True when `text` is ASCII only; then FoldCase(text) is `text` with A-Z
// lower-cased, what lower() gives on every engine.
bool IsAscii(std::string_view text);

// The folding a store keeps beside a column holding `text` (books.name_fold,
// publisher_fold): nullopt when `text` is plain ASCII, so that the column's
// key is lower() of it on every engine; FoldCase(text) otherwise.
std::optional<std::string> StoredFolding(std::string_view text);

}  // namespace bookstore
