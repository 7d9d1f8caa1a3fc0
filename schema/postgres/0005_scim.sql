-- SCIM 2.0 provisioning (SPEC §12): a user's externalId, kept as the identity
-- provider gave it, and the time the user's SCIM-visible attributes last changed
-- (meta.lastModified; NULL: never since creation).
ALTER TABLE users ADD COLUMN external_id TEXT, ADD COLUMN modified_ms BIGINT;
-- A SCIM Group is a role: its externalId, kept as given.
ALTER TABLE roles ADD COLUMN external_id TEXT;
