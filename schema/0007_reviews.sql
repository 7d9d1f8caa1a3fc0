-- Access reviews (SPEC §9). The `review` permission of the built-in `warden` system,
-- held by `warden-admin` (SPEC §2.6): a fresh database gets it here as an upgraded one
-- does, since 0001 creates the built-in rows and this file runs after it either way.
INSERT OR IGNORE INTO system_permissions (system, permission) VALUES ('warden', 'review');
INSERT OR IGNORE INTO role_entitlements (role, system, permission) VALUES ('warden-admin', 'warden', 'review');

-- One row a review, kept for good: it is the evidence an auditor asks for. No foreign
-- keys to users or roles: the reviewer, a reviewed user or the role may go, the review stays.
CREATE TABLE reviews (
    id                INTEGER PRIMARY KEY,   -- N of REVIEW SHOW N, given by the writer
    scope_kind        TEXT    NOT NULL CHECK (scope_kind IN ('role', 'system')),
    scope_name        TEXT    NOT NULL,
    reviewer_id       INTEGER NOT NULL,
    reviewer          TEXT    NOT NULL,
    due_ms            INTEGER NOT NULL,
    default_decision  TEXT    NOT NULL CHECK (default_decision IN ('keep', 'revoke')),
    created_by        TEXT    NOT NULL,
    created_ms        INTEGER NOT NULL,
    closed_ms         INTEGER,               -- NULL while open
    kept              INTEGER NOT NULL DEFAULT 0,
    revoked           INTEGER NOT NULL DEFAULT 0
);

-- The snapshot of the grants in scope when the review started, and each decision.
CREATE TABLE review_items (
    review_id    INTEGER NOT NULL REFERENCES reviews(id),
    item         INTEGER NOT NULL,           -- K of REVIEW DECIDE N K, from 1
    user_id      INTEGER NOT NULL,
    username     TEXT    NOT NULL,
    role         TEXT,
    system       TEXT,
    permission   TEXT,
    until_ms     INTEGER,
    decision     TEXT CHECK (decision IN ('keep', 'revoke')),
    decided_by   TEXT,
    decided_ms   INTEGER,
    reason       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, item),
    CHECK ((role IS NOT NULL AND system IS NULL AND permission IS NULL)
        OR (role IS NULL AND system IS NOT NULL AND permission IS NOT NULL))
);
