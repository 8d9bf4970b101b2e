-- Initial schema (SQLite). Money is integer cents; times are Unix epoch
-- seconds (UTC); booleans are 0/1 integers. Secrets are stored as SHA-256
-- hex (codes, tokens, session ids) or argon2id (passwords, client secrets).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT    NOT NULL CHECK (length(username) BETWEEN 3 AND 32),
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'customer')),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE INDEX users_role ON users (role);

CREATE TABLE books (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  code                 TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
  name                 TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  publisher            TEXT,
  quantity             INTEGER NOT NULL DEFAULT 0 CHECK (quantity BETWEEN 0 AND 1000000),
  imported_price_cents INTEGER CHECK (imported_price_cents BETWEEN 0 AND 100000000),
  sell_price_cents     INTEGER NOT NULL CHECK (sell_price_cents BETWEEN 0 AND 100000000),
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX books_publisher_lower ON books (lower(publisher));
CREATE INDEX books_sell_price ON books (sell_price_cents);
CREATE INDEX books_name ON books (name);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  status      TEXT    NOT NULL DEFAULT 'new'
              CHECK (status IN ('new', 'processing', 'shipping', 'delivered', 'canceled', 'rejected')),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX orders_user ON orders (user_id, id);
CREATE INDEX orders_status ON orders (status, id);

CREATE TABLE order_items (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  book_id          INTEGER NOT NULL REFERENCES books (id) ON DELETE RESTRICT,
  quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  price_each_cents INTEGER NOT NULL CHECK (price_each_cents >= 0),
  UNIQUE (order_id, book_id)
);
CREATE INDEX order_items_book ON order_items (book_id);

-- Idempotency-Key of POST /orders: per user, kept >= 24 h.
CREATE TABLE idempotency_keys (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  idem_key      TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status_code   INTEGER,            -- NULL while the first request runs
  response_body TEXT,
  order_id      INTEGER REFERENCES orders (id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- OAuth 2.0 clients. redirect_uris / post_logout_redirect_uris: newline
-- separated; allowed_scopes: space separated, NULL = every scope.
CREATE TABLE oauth_clients (
  client_id                 TEXT    PRIMARY KEY,
  name                      TEXT    NOT NULL,
  secret_hash               TEXT,            -- NULL for public clients
  confidential              INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
  redirect_uris             TEXT    NOT NULL,
  post_logout_redirect_uris TEXT    NOT NULL DEFAULT '',
  allowed_scopes            TEXT,
  created_at                INTEGER NOT NULL
);

CREATE TABLE authorization_codes (
  code_hash      TEXT    PRIMARY KEY,
  client_id      TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri   TEXT    NOT NULL,
  redirect_given INTEGER NOT NULL CHECK (redirect_given IN (0, 1)),
  scope          TEXT    NOT NULL,
  code_challenge TEXT,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);

-- A token family: everything issued from one authorization code.
CREATE TABLE token_families (
  id         TEXT    PRIMARY KEY,
  code_hash  TEXT    UNIQUE,
  client_id  TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE refresh_tokens (
  token_hash TEXT    PRIMARY KEY,
  family_id  TEXT    NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
  client_id  TEXT    NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scope      TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Issued access tokens (by jti), so revocation and code replay can make
-- them introspect inactive.
CREATE TABLE access_tokens (
  jti        TEXT    PRIMARY KEY,
  family_id  TEXT    REFERENCES token_families (id) ON DELETE CASCADE,
  client_id  TEXT    NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE INDEX access_tokens_expires ON access_tokens (expires_at);

CREATE TABLE login_sessions (
  id_hash    TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL
);

-- Failed logins, for throttling per username and per client address.
CREATE TABLE login_failures (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  username_lower TEXT    NOT NULL,
  client_addr    TEXT    NOT NULL,
  failed_at      INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username_lower, failed_at);
CREATE INDEX login_failures_addr ON login_failures (client_addr, failed_at);

-- Public signing keys, so every auth instance publishes the same JWKS
-- during rotation. Private keys stay in key files.
CREATE TABLE signing_keys (
  kid        TEXT    PRIMARY KEY,
  alg        TEXT    NOT NULL,
  public_jwk TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  retire_after INTEGER          -- publish until then (NULL: current)
);
