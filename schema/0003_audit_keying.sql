-- The audit chain is keyed from here on: an entry's hash becomes HMAC-SHA256 under a key
-- derived from the master key (DATA/master.key or --master-key-file), which is not in the
-- database, so that a rewrite of history with recomputed hashes is found.
--
-- keyed_from: the first entry hashed with the key. A new database is keyed from its first
-- entry (1); an upgraded one keeps its older entries under the SHA-256 rule of v1.
--
-- key_check: HMAC, under a key of its own derived from the master key, of keyed_from. It
-- tells a wrong master key from the right one at start, and binds keyed_from to the key:
-- moving it (to pass rewritten entries off as plain ones) needs the key. Empty until the
-- first start after this migration fills it in.
CREATE TABLE audit_keying (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from  INTEGER NOT NULL CHECK (keyed_from >= 1),
    key_check   TEXT NOT NULL
);
INSERT INTO audit_keying (id, keyed_from, key_check)
    SELECT 1, coalesce(max(seq), 0) + 1, '' FROM audit;
