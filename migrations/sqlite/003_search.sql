-- Book search (GET /books?q=, a substring of name, code or publisher,
-- ignoring ASCII case like SQLite's LIKE) through an FTS5 trigram index
-- instead of a table scan.
--
-- The index is contentless and holds lower() of each column (lower() and
-- LIKE both fold ASCII only) with case_sensitive 1, so a phrase query of the
-- lower-cased search text matches exactly the rows LIKE '%text%' matches:
-- no row needs re-checking, and counting the matches reads the index only.
-- Triggers keep it in step with books; stock changes touch none of these
-- columns, so placing orders never rewrites it. Queries under 3 characters
-- have no trigram: the repository scans for those.

CREATE VIRTUAL TABLE books_search USING fts5(
  name, code, publisher, content = '', tokenize = 'trigram case_sensitive 1');
INSERT INTO books_search (rowid, name, code, publisher)
  SELECT id, lower(name), lower(code), lower(publisher) FROM books;

CREATE TRIGGER books_search_insert AFTER INSERT ON books BEGIN
  INSERT INTO books_search (rowid, name, code, publisher)
  VALUES (new.id, lower(new.name), lower(new.code), lower(new.publisher));
END;

CREATE TRIGGER books_search_delete AFTER DELETE ON books BEGIN
  INSERT INTO books_search (books_search, rowid, name, code, publisher)
  VALUES ('delete', old.id, lower(old.name), lower(old.code), lower(old.publisher));
END;

CREATE TRIGGER books_search_update AFTER UPDATE OF name, code, publisher ON books BEGIN
  INSERT INTO books_search (books_search, rowid, name, code, publisher)
  VALUES ('delete', old.id, lower(old.name), lower(old.code), lower(old.publisher));
  INSERT INTO books_search (rowid, name, code, publisher)
  VALUES (new.id, lower(new.name), lower(new.code), lower(new.publisher));
END;
