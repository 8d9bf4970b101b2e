#!/usr/bin/env bash
# Usage: bench/seed_books.sh DB FIRST LAST
# Inserts the synthetic books FIRST..LAST (codes BK0000001...) into DB in one
# transaction: DB is a SQLite file (through the sqlite3 CLI: about a second
# per 100,000 books, the schema's triggers (search index) included) or a
# postgresql:// URL (through psql, the same rows; the trigram indexes are
# maintained as rows go in). Names combine an adjective, a noun and a place
# from fixed lists (each word is in about 1 % of the titles), so SEARCH has
# realistic selectivity; publishers come from a list of 20 and every 10th
# book has none. Stock is 1,000,000 so PLACE never runs out. Safe while the
# services run (SQLite: WAL). Ends as any bulk import should: with the FTS5
# 'optimize' command (SQLite), with ANALYZE (PostgreSQL).
set -euo pipefail
db=$1 first=$2 last=$3
[[ "$first" =~ ^[0-9]+$ && "$last" =~ ^[0-9]+$ ]] || { echo "seed_books: FIRST and LAST must be numbers" >&2; exit 2; }

adjectives='["Silent","Crimson","Hidden","Golden","Broken","Frozen","Burning","Distant","Quiet","Wild",
"Ancient","Lonely","Secret","Savage","Gentle","Bitter","Hollow","Shining","Restless","Forgotten",
"Scarlet","Iron","Velvet","Endless","Fallen","Hungry","Sacred","Stolen","Wicked","Brave",
"Clever","Curious","Dusty","Eager","Fierce","Glass","Grand","Humble","Jagged","Lucky",
"Mighty","Narrow","Noble","Pale","Proud","Rapid","Royal","Rusty","Shadow","Sleepy",
"Smoky","Solemn","Stormy","Strange","Sunken","Swift","Tender","Twisted","Vast","Wandering",
"Amber","Azure","Bold","Copper","Cosmic","Daring","Emerald","Faded","Gilded","Haunted",
"Ivory","Jolly","Kindred","Lunar","Misty","Northern","Obsidian","Painted","Quiet","Radiant",
"Silver","Timeless","Umber","Violet","Wooden","Yellow","Zealous","Arctic","Blazing","Cobalt",
"Drifting","Electric","Floating","Glowing","Hidden","Infinite","Jade","Kingly","Lost","Marble"]'
nouns='["Dragon","Garden","River","Kingdom","Mirror","Forest","Harbor","Tower","Voyage","Empire",
"Compass","Lantern","Orchard","Island","Meadow","Fortress","Cathedral","Desert","Glacier","Canyon",
"Falcon","Wolf","Raven","Serpent","Tiger","Whale","Phoenix","Griffin","Unicorn","Stallion",
"Crown","Sword","Shield","Arrow","Chalice","Scroll","Map","Key","Clock","Bell",
"Storm","Thunder","Ember","Tide","Winter","Summer","Autumn","Spring","Dawn","Twilight",
"Hunter","Sailor","Painter","Scholar","Pilgrim","Merchant","Thief","Queen","Prince","Witch",
"Archive","Bridge","Castle","Chapel","Citadel","Cottage","Engine","Factory","Gallery","Library",
"Labyrinth","Lighthouse","Market","Monastery","Observatory","Palace","Quarry","Railway","Sanctuary","Theatre",
"Atlas","Beacon","Circus","Diary","Echo","Fable","Harvest","Journey","Legend","Melody",
"Nocturne","Oracle","Paradox","Riddle","Sonnet","Tapestry","Verdict","Whisper","Zenith","Odyssey"]'
places='["of the North","of Avalon","in Winter","at Midnight","of the Sea","of Shadows","in Bloom",
"of the Lost","at Dawn","of Glass","beyond the Hills","under the Moon","of the Old City",
"in the Rain","of Ashes","of the Deep","across the Sands","of Tomorrow","in Exile","of Kings"]'
publishers='["Penguin Random House","HarperCollins","Simon & Schuster","Macmillan","Hachette",
"Scholastic","Wiley","Pearson","Oxford University Press","Cambridge University Press",
"Bloomsbury","Faber & Faber","Vintage","Springer","Elsevier","Houghton Mifflin",
"Little, Brown","Penguin Classics","Tor Books","Orbit"]'

case $db in
postgres://* | postgresql://*)
  # The same rows as the SQLite branch below: jsonb ->> n is 0-based like
  # json_extract's $[n], and integer arithmetic truncates the same way.
  # Ids come from the identity column in generate_series order.
  psql "$db" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET synchronous_commit = off;
BEGIN;
WITH w AS (SELECT '$adjectives'::jsonb AS adjectives, '$nouns'::jsonb AS nouns,
                  '$places'::jsonb AS places, '$publishers'::jsonb AS publishers,
                  extract(epoch FROM now())::bigint AS now)
INSERT INTO books (code, name, publisher, quantity, imported_price_cents, sell_price_cents,
                   created_at, updated_at)
SELECT 'BK' || lpad(i::text, 7, '0'),
       (w.adjectives ->> ((i * 7) % 100)) || ' ' ||
         (w.nouns ->> ((i * 13 / 7) % 100)) || ' ' ||
         (w.places ->> ((i / 3) % 20)) || ' ' || (i % 997),
       CASE WHEN i % 10 = 0 THEN NULL ELSE w.publishers ->> (i % 20) END,
       1000000,
       500 + (i * 37) % 9500,
       (500 + (i * 37) % 9500) * 11 / 10,
       w.now, w.now
FROM w, generate_series($first, $last) AS i
ORDER BY i;
COMMIT;
-- Fresh statistics for the planner after a bulk load.
ANALYZE books;
SQL
  exit 0 ;;
esac

sqlite3 -batch -bail "$db" <<SQL
.timeout 30000
PRAGMA synchronous = NORMAL;
BEGIN IMMEDIATE;
WITH RECURSIVE n(i) AS (SELECT $first UNION ALL SELECT i + 1 FROM n WHERE i < $last)
INSERT INTO books (code, name, publisher, quantity, imported_price_cents, sell_price_cents,
                   created_at, updated_at)
SELECT printf('BK%07d', i),
       json_extract('$adjectives', printf('\$[%d]', (i * 7) % 100)) || ' ' ||
         json_extract('$nouns', printf('\$[%d]', (i * 13 / 7) % 100)) || ' ' ||
         json_extract('$places', printf('\$[%d]', (i / 3) % 20)) || ' ' || (i % 997),
       CASE WHEN i % 10 = 0 THEN NULL
            ELSE json_extract('$publishers', printf('\$[%d]', i % 20)) END,
       1000000,
       500 + (i * 37) % 9500,
       (500 + (i * 37) % 9500) * 11 / 10,
       CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER)
FROM n;
COMMIT;
-- After a bulk load, merge the search index's segments into one b-tree (the
-- FTS5 'optimize' command): trigram lookups then read one doclist per
-- trigram instead of one per segment (a 20-row page of "silver" over 100,000
-- books: ~130 us before, ~55 us after, measured here).
INSERT INTO books_search (books_search) VALUES ('optimize');
SQL
