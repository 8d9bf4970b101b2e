#pragma once
// The JSON representations of §2: books (imported_price for admins only),
// users (never a hash), orders with items and total, and pages of them.

#include <string>

#include "book_service/domain/models.h"

namespace bookstore::book {

class JsonWriter;

void WriteBook(JsonWriter& w, const BookView& book, bool with_imported_price);
void WriteUser(JsonWriter& w, const User& user);
void WriteOrder(JsonWriter& w, const Order& order);

std::string BookJson(const BookView& book, bool with_imported_price);
std::string UserJson(const User& user);
std::string OrderJson(const Order& order);
std::string BookPageJson(const Page<Book>& page, bool with_imported_price);
std::string UserPageJson(const Page<User>& page);
std::string OrderPageJson(const Page<Order>& page);

}  // namespace bookstore::book
