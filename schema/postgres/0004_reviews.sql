-- Access reviews (SPEC §9): SQLite's schema/0007, in PostgreSQL's types. The `review`
-- permission of the built-in `warden` system, held by `warden-admin` (SPEC §2.6): a
-- fresh database gets it here as an upgraded one does.
INSERT INTO system_permissions (system, permission) VALUES ('warden', 'review') ON CONFLICT DO NOTHING;
INSERT INTO role_entitlements (role, system, permission) VALUES ('warden-admin', 'warden', 'review') ON CONFLICT DO NOTHING;

-- One row a review, kept for good: it is the evidence an auditor asks for. No foreign
-- keys to users or roles: the reviewer, a reviewed user or the role may go, the review stays.
CREATE TABLE reviews (
    id                BIGINT  PRIMARY KEY,   -- N of REVIEW SHOW N, given by the writer under the audit head's lock
    scope_kind        TEXT    NOT NULL CHECK (scope_kind IN ('role', 'system')),
    scope_name        TEXT    NOT NULL,
    reviewer_id       BIGINT  NOT NULL,
    reviewer          TEXT    NOT NULL,
    due_ms            BIGINT  NOT NULL,
    default_decision  TEXT    NOT NULL CHECK (default_decision IN ('keep', 'revoke')),
    created_by        TEXT    NOT NULL,
    created_ms        BIGINT  NOT NULL,
    closed_ms         BIGINT,                -- NULL while open
    kept              INTEGER NOT NULL DEFAULT 0,
    revoked           INTEGER NOT NULL DEFAULT 0
);

-- The snapshot of the grants in scope when the review started, and each decision.
CREATE TABLE review_items (
    review_id    BIGINT  NOT NULL REFERENCES reviews(id),
    item         INTEGER NOT NULL,           -- K of REVIEW DECIDE N K, from 1
    user_id      BIGINT  NOT NULL,
    username     TEXT    NOT NULL,
    role         TEXT,
    system       TEXT,
    permission   TEXT,
    until_ms     BIGINT,
    decision     TEXT CHECK (decision IN ('keep', 'revoke')),
    decided_by   TEXT,
    decided_ms   BIGINT,
    reason       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, item),
    CHECK ((role IS NOT NULL AND system IS NULL AND permission IS NULL)
        OR (role IS NULL AND system IS NOT NULL AND permission IS NOT NULL))
);
