-- Private signing keys move into the database, sealed with the master key
-- (AES-256-GCM, SecretSealer): base64url of 01 ‖ nonce ‖ ciphertext ‖ tag, with the
-- context "signing-key:KID". NULL for a key still in its v1 file keys/KID.pem, which
-- the next start seals here and then deletes.
ALTER TABLE signing_keys ADD COLUMN sealed_key TEXT;
