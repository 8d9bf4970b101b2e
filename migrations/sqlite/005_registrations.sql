-- Sign-ups per client address, for throttling POST /register (contract §6:
-- registration is throttled per address). Rows older than the window are
-- removed by the next sign-up from the same address.
CREATE TABLE registration_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  client_addr TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX registration_attempts_addr ON registration_attempts (client_addr, created_at);
