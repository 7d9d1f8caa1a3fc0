-- A one-row table that the server writes to when it probes whether storage
-- accepts writes again after a failure (disk full, read-only file system).
CREATE TABLE health (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked_ms  INTEGER NOT NULL
);
INSERT INTO health (id, checked_ms) VALUES (1, 0);
