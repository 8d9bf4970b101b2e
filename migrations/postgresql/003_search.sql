-- Book search (GET /books?q=): pg_trgm GIN indexes on the lower-cased
-- columns serve the repository's `lower(col) LIKE lower(pattern)` directly
-- (trigram indexes need 3+ characters; shorter patterns are left to the
-- planner, which scans). pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the database owner may create it; a role that may not only loses the
-- indexes (search still works, by scanning) and the migration says so.

DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'pg_trgm cannot be created by this role: book search will scan the table';
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX books_name_trgm ON books USING gin (lower(name) gin_trgm_ops);
    CREATE INDEX books_code_trgm ON books USING gin (lower(code) gin_trgm_ops);
    CREATE INDEX books_publisher_trgm ON books USING gin (lower(publisher) gin_trgm_ops);
  END IF;
END $$;
