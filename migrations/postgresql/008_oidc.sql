-- OpenID Connect (contract §5): what an ID token needs at the code exchange
-- and at each refresh: the nonce sent to /authorize, when the user last
-- entered the password (auth_time) and the login session's public id (sid,
-- for RP-initiated logout with an id_token_hint).
ALTER TABLE authorization_codes ADD COLUMN nonce TEXT;
ALTER TABLE authorization_codes ADD COLUMN auth_time BIGINT;
ALTER TABLE authorization_codes ADD COLUMN sid TEXT;
ALTER TABLE token_families ADD COLUMN auth_time BIGINT;
ALTER TABLE token_families ADD COLUMN sid TEXT;
