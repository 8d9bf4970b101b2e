-- Book search and the publisher filter ignore Unicode case (contract §2.1,
-- §6), the same on both engines and whatever the cluster's locale: the
-- application writes the full case folding (common/case_fold.h) of a name
-- or publisher that is not plain ASCII into name_fold / publisher_fold;
-- NULL means "plain ASCII: lower() of the column is its folding". The
-- search key of a column is coalesce(x_fold, lower(x)); the trigram and
-- publisher indexes are built on exactly those expressions. The code step
-- after this script (common/db/migration_steps.cpp) fills x_fold for the
-- existing non-ASCII rows.

ALTER TABLE books ADD COLUMN name_fold TEXT;
ALTER TABLE books ADD COLUMN publisher_fold TEXT;

DROP INDEX books_publisher_lower;
CREATE INDEX books_publisher_key ON books ((coalesce(publisher_fold, lower(publisher))));

DROP INDEX IF EXISTS books_name_trgm;
DROP INDEX IF EXISTS books_publisher_trgm;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX books_name_key_trgm ON books
      USING gin ((coalesce(name_fold, lower(name))) gin_trgm_ops);
    CREATE INDEX books_publisher_key_trgm ON books
      USING gin ((coalesce(publisher_fold, lower(publisher))) gin_trgm_ops);
  END IF;
END $$;
