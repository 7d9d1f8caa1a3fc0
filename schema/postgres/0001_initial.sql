-- Warden on PostgreSQL: the same directory as SQLite's schema/0001–0003, plus what
-- several nodes need. Times are milliseconds since 1970 (BIGINT), as on SQLite.
-- Statements end with a semicolon at the end of a line (the migrator sends them one
-- at a time).

CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- never reused
    name           TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL CHECK (kind IN ('person', 'service')),
    status         TEXT    NOT NULL CHECK (status IN ('active', 'disabled')),
    created_ms     BIGINT  NOT NULL,
    last_login_ms  BIGINT,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    password_hash  TEXT                                              -- PHC string, never the password
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

CREATE TABLE grants (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT REFERENCES roles(name),
    system      TEXT REFERENCES systems(name),
    permission  TEXT,
    until_ms    BIGINT,
    reason      TEXT NOT NULL DEFAULT '',
    granted_by  TEXT NOT NULL,
    granted_ms  BIGINT NOT NULL,
    CHECK ((role IS NOT NULL AND system IS NULL AND permission IS NULL)
        OR (role IS NULL AND system IS NOT NULL AND permission IS NOT NULL))
);
CREATE UNIQUE INDEX grants_by_role ON grants(user_id, role) WHERE role IS NOT NULL;
CREATE UNIQUE INDEX grants_by_entitlement ON grants(user_id, system, permission) WHERE role IS NULL;
CREATE INDEX grants_of_role ON grants(role) WHERE role IS NOT NULL;
CREATE INDEX grants_of_system ON grants(system) WHERE system IS NOT NULL;

-- The audit chain is also the cluster's change feed. Every write transaction first
-- locks the one row of audit_head, so entries get their seq one after another in
-- commit order, with no gaps: a node that has applied every entry up to N has seen
-- every change committed before N+1. `changes` holds what the entry's change needs
-- to be applied by the other nodes (empty for reads and refusals).
CREATE TABLE audit (
    seq        BIGINT PRIMARY KEY,
    time       TEXT   NOT NULL,    -- RFC 3339 UTC
    actor      TEXT   NOT NULL,
    source     TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    target     TEXT   NOT NULL,
    detail     TEXT   NOT NULL,
    result     TEXT   NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
    prev_hash  TEXT   NOT NULL,
    hash       TEXT   NOT NULL,
    changes    TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit(time);
CREATE INDEX audit_by_actor ON audit(actor, seq);
CREATE INDEX audit_by_target ON audit(target, seq);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT  NOT NULL,
    hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- The chain is keyed (HMAC) from the first entry: no unkeyed v1 history here.
CREATE TABLE audit_keying (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from  BIGINT  NOT NULL CHECK (keyed_from >= 1),
    key_check   TEXT    NOT NULL
);

-- Private keys only sealed with the master key (AES-256-GCM): no key files on a node.
CREATE TABLE signing_keys (
    kid          TEXT   PRIMARY KEY,
    alg          TEXT   NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
    public_jwk   TEXT   NOT NULL,
    sealed_key   TEXT   NOT NULL,   -- base64url of SecretSealer output
    created_ms   BIGINT NOT NULL,
    retired_ms   BIGINT,
    last_exp_ms  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE issued_tokens (
    jti        TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    kid        TEXT   NOT NULL,
    aud        TEXT   NOT NULL,
    issued_ms  BIGINT NOT NULL,
    exp_ms     BIGINT NOT NULL,
    revoked    TEXT   CHECK (revoked IN ('revoked', 'disabled'))
);
CREATE INDEX issued_tokens_by_user ON issued_tokens(user_id);
CREATE INDEX issued_tokens_by_exp ON issued_tokens(exp_ms);

CREATE TABLE api_keys (
    id          TEXT   PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_hash    TEXT   NOT NULL,   -- SHA-256 of the 256-bit random key, hex
    created_ms  BIGINT NOT NULL
);
CREATE INDEX api_keys_by_user ON api_keys(user_id);

CREATE TABLE invites (
    user_id     BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT   NOT NULL,   -- SHA-256 of the one-time code, hex
    expires_ms  BIGINT NOT NULL
);

-- Login failures per username and source, shared by every node (SPEC §6 throttling).
CREATE TABLE login_failures (
    username    TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    failures    INTEGER NOT NULL,
    last_ms     BIGINT  NOT NULL,
    PRIMARY KEY (username, source)
);

CREATE TABLE health (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked_ms  BIGINT  NOT NULL
);
INSERT INTO health (id, checked_ms) VALUES (1, 0);

INSERT INTO systems (name, description) VALUES ('warden', 'Warden itself');
INSERT INTO system_permissions (system, permission) VALUES
    ('warden', 'user-admin'), ('warden', 'role-admin'), ('warden', 'grant'), ('warden', 'check'),
    ('warden', 'token-issue'), ('warden', 'introspect'), ('warden', 'audit'), ('warden', 'key-admin');
INSERT INTO roles (name, description) VALUES ('warden-admin', 'Every Warden permission');
INSERT INTO role_entitlements (role, system, permission)
    SELECT 'warden-admin', system, permission FROM system_permissions WHERE system = 'warden';
