-- TOTP multi-factor authentication (SPEC §7): one row a user, pending from MFA ENROLL
-- (confirmed_ms NULL) until MFA CONFIRM, removed by MFA DISABLE or USER MFA-RESET.
CREATE TABLE mfa (
    user_id         INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    -- The TOTP secret sealed with the master key (AES-256-GCM, SecretSealer): base64url
    -- of 01 ‖ nonce ‖ ciphertext ‖ tag, with the context "totp-secret:USER_ID".
    sealed_secret   TEXT    NOT NULL,
    enrolled_ms     INTEGER NOT NULL,
    confirmed_ms    INTEGER,
    -- The time steps whose codes were accepted lately (each code is accepted once):
    -- decimal numbers separated by commas.
    used_steps      TEXT    NOT NULL DEFAULT '',
    -- Salted SHA-256 hashes of the unused recovery codes (sha256$SALT$HASH), by commas.
    recovery_codes  TEXT    NOT NULL DEFAULT ''
);
