-- Auth service additions (PostgreSQL). CSRF tokens of the login form, stored
-- only as SHA-256 hex so every auth instance can check a form another
-- instance rendered.

CREATE TABLE login_csrf_tokens (
  token_hash TEXT   PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX login_csrf_tokens_expires ON login_csrf_tokens (expires_at);
CREATE INDEX login_sessions_expires ON login_sessions (expires_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX login_failures_time ON login_failures (failed_at);
