-- Access requests (SPEC §8) and separation of duties (SPEC §10).

-- A role's request settings (ROLE SET): whether any user may ask for it, the role
-- whose holders approve (NULL: holders of warden grant), how many distinct approvers
-- are needed, and the longest grant an approval makes, in seconds.
ALTER TABLE roles ADD COLUMN requestable BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE roles ADD COLUMN approvers TEXT;
ALTER TABLE roles ADD COLUMN approvals INTEGER NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN max_request_s BIGINT NOT NULL DEFAULT 28800;

-- REQUEST: numbered in the order they were made (by the node holding the audit head's
-- lock, so numbers are the cluster's).
CREATE TABLE access_requests (
    id           BIGINT  PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         TEXT    NOT NULL,
    duration_s   BIGINT  NOT NULL,
    reason       TEXT    NOT NULL,
    status       TEXT    NOT NULL,   -- pending, approved, denied, cancelled, expired
    created_ms   BIGINT  NOT NULL,
    approved_by  TEXT[]  NOT NULL DEFAULT '{}',
    denied_by    TEXT,
    decided_ms   BIGINT,
    until_ms     BIGINT
);
CREATE INDEX access_requests_pending ON access_requests (status, created_ms);

-- SOD ADD: a side is role:NAME or system:SYSTEM:PERMISSION.
CREATE TABLE sod_rules (
    name         TEXT PRIMARY KEY,
    left_side    TEXT NOT NULL,
    right_side   TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT ''
);
