-- Warden schema, version 1: the directory, the audit chain, signing keys and
-- credentials. Times are milliseconds since the Unix epoch (UTC) unless the
-- column name says otherwise. Never edit a shipped migration: add the next file.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: tokens and sessions remember it
    name           TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL CHECK (kind IN ('person', 'service')),
    status         TEXT    NOT NULL CHECK (status IN ('active', 'disabled')),
    created_ms     INTEGER NOT NULL,
    last_login_ms  INTEGER,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT                                 -- PHC string ($scrypt$...), never the password
);

CREATE TABLE systems (
    name         TEXT PRIMARY KEY,
    description  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE system_permissions (
    system      TEXT NOT NULL REFERENCES systems(name) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (system, permission)
);

CREATE TABLE roles (
    name         TEXT PRIMARY KEY,
    description  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE role_entitlements (
    role        TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
    system      TEXT NOT NULL REFERENCES systems(name),
    permission  TEXT NOT NULL,
    PRIMARY KEY (role, system, permission)
);

CREATE TABLE role_includes (
    role      TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
    included  TEXT NOT NULL REFERENCES roles(name),
    PRIMARY KEY (role, included),
    CHECK (role <> included)
);

-- A grant gives a user either a role or one entitlement directly.
CREATE TABLE grants (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT REFERENCES roles(name),
    system      TEXT REFERENCES systems(name),
    permission  TEXT,
    until_ms    INTEGER,
    reason      TEXT NOT NULL DEFAULT '',
    granted_by  TEXT NOT NULL,
    granted_ms  INTEGER NOT NULL,
    CHECK ((role IS NOT NULL AND system IS NULL AND permission IS NULL)
        OR (role IS NULL AND system IS NOT NULL AND permission IS NOT NULL))
);
CREATE UNIQUE INDEX grants_by_role ON grants(user_id, role) WHERE role IS NOT NULL;
CREATE UNIQUE INDEX grants_by_entitlement ON grants(user_id, system, permission) WHERE role IS NULL;
CREATE INDEX grants_of_role ON grants(role) WHERE role IS NOT NULL;
CREATE INDEX grants_of_system ON grants(system) WHERE system IS NOT NULL;

-- The audit log: a SHA-256 hash chain. Each entry's hash covers its own fields and
-- the previous entry's hash, so an edit, deletion or reordering breaks the chain.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    time       TEXT NOT NULL,    -- RFC 3339 UTC
    actor      TEXT NOT NULL,
    source     TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    result     TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit(time);
CREATE INDEX audit_by_actor ON audit(actor, seq);
CREATE INDEX audit_by_target ON audit(target, seq);

-- Signing keys: public halves and bookkeeping. The private keys live in
-- DATA/keys/KID.pem (mode 0600), not in the database.
CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    alg          TEXT NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
    public_jwk   TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    retired_ms   INTEGER,
    last_exp_ms  INTEGER NOT NULL DEFAULT 0   -- the latest expiry of a token it signed
);

-- Every token issued, so that disabling or deleting a user can revoke exactly
-- that user's live tokens. No foreign key: a deleted user's tokens stay revoked.
CREATE TABLE issued_tokens (
    jti        TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    kid        TEXT NOT NULL,
    aud        TEXT NOT NULL,
    issued_ms  INTEGER NOT NULL,
    exp_ms     INTEGER NOT NULL,
    revoked    TEXT CHECK (revoked IN ('revoked', 'disabled'))
);
CREATE INDEX issued_tokens_by_user ON issued_tokens(user_id);
CREATE INDEX issued_tokens_by_exp ON issued_tokens(exp_ms);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_hash    TEXT NOT NULL,   -- SHA-256 of the 256-bit random key, hex
    created_ms  INTEGER NOT NULL
);
CREATE INDEX api_keys_by_user ON api_keys(user_id);

CREATE TABLE invites (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,   -- SHA-256 of the one-time code, hex
    expires_ms  INTEGER NOT NULL
);

-- Warden governs itself with its own model (SPEC 2.6).
INSERT INTO systems (name, description) VALUES ('warden', 'Warden itself');
INSERT INTO system_permissions (system, permission) VALUES
    ('warden', 'user-admin'), ('warden', 'role-admin'), ('warden', 'grant'), ('warden', 'check'),
    ('warden', 'token-issue'), ('warden', 'introspect'), ('warden', 'audit'), ('warden', 'key-admin');
INSERT INTO roles (name, description) VALUES ('warden-admin', 'Every Warden permission');
INSERT INTO role_entitlements (role, system, permission)
    SELECT 'warden-admin', system, permission FROM system_permissions WHERE system = 'warden';
