import WardenCore

/// Writes of tokens, signing keys, API keys and invites, for `write(_ change:)`. Only
/// hashes of secrets reach the database, and private keys only sealed with the master key.
extension SQLiteInterpreter {
    // MARK: Issued tokens

    func insertIssuedToken(_ token: IssuedTokenRecord) throws(SQLiteError) {
        try connection.run("""
            INSERT INTO issued_tokens (jti, user_id, kid, aud, issued_ms, exp_ms, revoked) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            .text(token.jti), .integer(token.userID), .text(token.kid), .text(token.audience),
            .integer(token.issued.milliseconds), .integer(token.expires.milliseconds), .optional(token.revocation?.rawValue))
        try connection.run(
            "UPDATE signing_keys SET last_exp_ms = max(last_exp_ms, ?) WHERE kid = ?",
            .integer(token.expires.milliseconds), .text(token.kid))
    }

    func revokeToken(jti: String) throws(SQLiteError) {
        try connection.run("UPDATE issued_tokens SET revoked = 'revoked' WHERE jti = ?", .text(jti))
    }

    /// Marks a user's live tokens: `disabled` on disable, `revoked` on enable or delete.
    func markTokens(userID: Int64, as revocation: IssuedTokenRecord.Revocation) throws(SQLiteError) {
        try connection.run(
            "UPDATE issued_tokens SET revoked = ? WHERE user_id = ? AND exp_ms > ? AND (revoked IS NULL OR revoked = 'disabled')",
            .text(revocation.rawValue), .integer(userID), .integer(now.milliseconds))
    }

    /// Forgets tokens that expired long enough ago that no leeway can bring them back.
    func pruneTokens(expiredBefore time: Timestamp) throws(SQLiteError) {
        try connection.run("DELETE FROM issued_tokens WHERE exp_ms < ?", .integer(time.milliseconds))
    }

    // MARK: Signing keys

    func insertSigningKey(_ key: SigningKeyRecord) throws(SQLiteError) {
        try connection.run("""
            INSERT INTO signing_keys (kid, alg, public_jwk, created_ms, retired_ms, last_exp_ms, sealed_key) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            .text(key.kid), .text(key.algorithm), .text(key.publicJWK), .integer(key.created.milliseconds),
            .optional(key.retired?.milliseconds), .integer(key.lastExpiry.milliseconds), .optional(key.sealedKey))
    }

    func retireSigningKey(kid: String, at time: Timestamp) throws(SQLiteError) {
        try connection.run("UPDATE signing_keys SET retired_ms = ? WHERE kid = ? AND retired_ms IS NULL", .integer(time.milliseconds), .text(kid))
    }

    // MARK: API keys

    func insertAPIKey(_ key: APIKeyRecord) throws(SQLiteError) {
        try connection.run(
            "INSERT INTO api_keys (id, user_id, key_hash, created_ms) VALUES (?, ?, ?, ?)",
            .text(key.id), .integer(key.userID), .text(key.keyHash), .integer(key.created.milliseconds))
    }

    func deleteAPIKey(id: String, userID: Int64) throws(SQLiteError) {
        try connection.run("DELETE FROM api_keys WHERE id = ? AND user_id = ?", .text(id), .integer(userID))
    }

    // MARK: Invites

    func putInvite(_ invite: InviteRecord) throws(SQLiteError) {
        try connection.run(
            "INSERT OR REPLACE INTO invites (user_id, code_hash, expires_ms) VALUES (?, ?, ?)",
            .integer(invite.userID), .text(invite.codeHash), .integer(invite.expires.milliseconds))
    }

    func deleteInvite(userID: Int64) throws(SQLiteError) {
        try connection.run("DELETE FROM invites WHERE user_id = ?", .integer(userID))
    }
}
