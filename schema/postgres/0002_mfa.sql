-- TOTP multi-factor authentication (SPEC §7): one row a user, pending from MFA ENROLL
-- (confirmed_ms NULL) until MFA CONFIRM, removed by MFA DISABLE or USER MFA-RESET.
CREATE TABLE mfa (
    user_id         BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    -- The TOTP secret sealed with the master key (AES-256-GCM, SecretSealer): base64url
    -- of 01 ‖ nonce ‖ ciphertext ‖ tag, with the context "totp-secret:USER_ID".
    sealed_secret   TEXT     NOT NULL,
    enrolled_ms     BIGINT   NOT NULL,
    confirmed_ms    BIGINT,
    -- The time steps whose codes were accepted lately (each code is accepted once).
    used_steps      BIGINT[] NOT NULL DEFAULT '{}',
    -- Salted SHA-256 hashes of the unused recovery codes (sha256$SALT$HASH).
    recovery_codes  TEXT[]   NOT NULL DEFAULT '{}'
);

-- Login failures were never kept here: every node counts them from the audit entries
-- it applies (its own and the other nodes'), so the table is dropped.
DROP TABLE login_failures;
