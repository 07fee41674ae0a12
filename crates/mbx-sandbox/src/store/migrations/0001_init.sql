-- mbx-sandbox schema, version 1: accounts, API keys and balances.
-- Money is stored as decimal text (rust_decimal's exact rendering), never as REAL.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_ms  INTEGER NOT NULL,
    update_ms   INTEGER NOT NULL
);

CREATE TABLE api_keys (
    api_key     TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('hmac', 'ed25519', 'rsa')),
    -- HMAC: the secret as issued. Ed25519 / RSA: the public key PEM.
    material    TEXT    NOT NULL,
    -- Comma-separated: TRADE, USER_DATA, USER_STREAM.
    permissions TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);

CREATE TABLE balances (
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    asset       TEXT    NOT NULL,
    free        TEXT    NOT NULL,
    locked      TEXT    NOT NULL,
    PRIMARY KEY (account_id, asset)
) WITHOUT ROWID;
