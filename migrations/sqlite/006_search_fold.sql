-- Book search and the publisher filter ignore Unicode case (contract §2.1,
-- §6), the same on both engines. SQLite's lower() folds ASCII only, so the
-- application writes the full case folding (common/case_fold.h) of a name
-- or publisher that is not plain ASCII into name_fold / publisher_fold;
-- NULL means "plain ASCII: lower() of the column is its folding". The
-- search key of a column is therefore coalesce(x_fold, lower(x)), which is
-- what the trigram index holds and the repository compares against.
--
-- Before this migration the index held lower(x), which equals the new key
-- while x_fold is NULL, so the index needs no rebuild: the code step after
-- this script (common/db/migration_steps.cpp) fills x_fold for the existing
-- non-ASCII rows, and the update trigger re-indexes exactly those.

ALTER TABLE books ADD COLUMN name_fold TEXT;
ALTER TABLE books ADD COLUMN publisher_fold TEXT;

DROP TRIGGER books_search_insert;
DROP TRIGGER books_search_delete;
DROP TRIGGER books_search_update;

CREATE TRIGGER books_search_insert AFTER INSERT ON books BEGIN
  INSERT INTO books_search (rowid, name, code, publisher)
  VALUES (new.id, coalesce(new.name_fold, lower(new.name)), lower(new.code),
          coalesce(new.publisher_fold, lower(new.publisher)));
END;

CREATE TRIGGER books_search_delete AFTER DELETE ON books BEGIN
  INSERT INTO books_search (books_search, rowid, name, code, publisher)
  VALUES ('delete', old.id, coalesce(old.name_fold, lower(old.name)), lower(old.code),
          coalesce(old.publisher_fold, lower(old.publisher)));
END;

CREATE TRIGGER books_search_update
AFTER UPDATE OF name, name_fold, code, publisher, publisher_fold ON books BEGIN
  INSERT INTO books_search (books_search, rowid, name, code, publisher)
  VALUES ('delete', old.id, coalesce(old.name_fold, lower(old.name)), lower(old.code),
          coalesce(old.publisher_fold, lower(old.publisher)));
  INSERT INTO books_search (rowid, name, code, publisher)
  VALUES (new.id, coalesce(new.name_fold, lower(new.name)), lower(new.code),
          coalesce(new.publisher_fold, lower(new.publisher)));
END;

DROP INDEX books_publisher_lower;
CREATE INDEX books_publisher_key ON books (coalesce(publisher_fold, lower(publisher)));
