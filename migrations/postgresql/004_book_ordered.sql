-- "A book an order references cannot be deleted" is read from a flag on the
-- book, set when an order takes its stock (the SQLite schema drops the
-- foreign key from order_items (book_id) and its index for it, see
-- migrations/sqlite/004_book_ordered.sql). Here the foreign key and its
-- index stay as well.

ALTER TABLE books ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0 CHECK (ordered IN (0, 1));
UPDATE books SET ordered = 1 WHERE id IN (SELECT book_id FROM order_items);
