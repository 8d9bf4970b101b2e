-- Order lines carry the book's code and name as they were when ordered (a
-- snapshot, like price_each), so an order page needs no call per line.
-- Existing lines take the book's current code and name (books an order
-- references cannot be deleted).
ALTER TABLE order_items ADD COLUMN book_code TEXT;
ALTER TABLE order_items ADD COLUMN book_name TEXT;
UPDATE order_items SET
  book_code = (SELECT code FROM books WHERE books.id = order_items.book_id),
  book_name = (SELECT name FROM books WHERE books.id = order_items.book_id);
