import PostgresNIO
import WardenCore

/// Writes of tokens, signing keys, API keys and invites, for `statements(for:)`: the
/// statements of SQLite's `Transaction+Credentials.swift`. Only hashes of secrets reach
/// the database, and private keys only sealed with the master key.
extension PostgresStatements {
    // MARK: Issued tokens

    /// The token, and its key's latest expiry (the key stays published until then).
    static func insertIssuedToken(_ token: IssuedTokenRecord) -> [PostgresQuery] {
        [
            """
            INSERT INTO issued_tokens (jti, user_id, kid, aud, issued_ms, exp_ms, revoked)
            VALUES (\(token.jti), \(token.userID), \(token.kid), \(token.audience), \(token.issued.milliseconds), \
            \(token.expires.milliseconds), \(token.revocation?.rawValue))
            """,
            "UPDATE signing_keys SET last_exp_ms = greatest(last_exp_ms, \(token.expires.milliseconds)) WHERE kid = \(token.kid)",
        ]
    }

    /// Marks a user's live tokens: `disabled` on disable, `revoked` on enable, reset or
    /// delete (a token marked `disabled` becomes `revoked`: it stays dead after an enable).
    ///
    /// "Live" is judged by the database's clock at the start of the transaction
    /// (SQLite's writer uses its batch time): `statements(for:)` takes no time, and the
    /// tokens it leaves unmarked have expired, which every node treats alike (they are
    /// left out of the state at the next start, and pruned later).
    static func markTokens(userID: Int64, as revocation: IssuedTokenRecord.Revocation) -> PostgresQuery {
        """
        UPDATE issued_tokens SET revoked = \(revocation.rawValue)
        WHERE user_id = \(userID) AND exp_ms > floor(extract(epoch FROM transaction_timestamp()) * 1000)::bigint
          AND (revoked IS NULL OR revoked = 'disabled')
        """
    }

    // MARK: Signing keys

    /// `sealed_key` is NOT NULL here (no v1 key files on a cluster): a record without
    /// its sealed half is bound as NULL and refused by the database, so that the write
    /// fails loudly rather than storing a key no node could sign with.
    static func insertSigningKey(_ key: SigningKeyRecord) -> PostgresQuery {
        """
        INSERT INTO signing_keys (kid, alg, public_jwk, sealed_key, created_ms, retired_ms, last_exp_ms)
        VALUES (\(key.kid), \(key.algorithm), \(key.publicJWK), \(key.sealedKey), \(key.created.milliseconds), \
        \(key.retired?.milliseconds), \(key.lastExpiry.milliseconds))
        """
    }

    static func retireSigningKey(kid: String, at time: Timestamp) -> PostgresQuery {
        "UPDATE signing_keys SET retired_ms = \(time.milliseconds) WHERE kid = \(kid) AND retired_ms IS NULL"
    }

    // MARK: API keys and invites

    static func insertAPIKey(_ key: APIKeyRecord) -> PostgresQuery {
        """
        INSERT INTO api_keys (id, user_id, key_hash, created_ms)
        VALUES (\(key.id), \(key.userID), \(key.keyHash), \(key.created.milliseconds))
        """
    }

    /// A user's one pending invite, replacing any earlier one (SQLite's INSERT OR REPLACE).
    static func putInvite(_ invite: InviteRecord) -> PostgresQuery {
        """
        INSERT INTO invites (user_id, code_hash, expires_ms) VALUES (\(invite.userID), \(invite.codeHash), \(invite.expires.milliseconds))
        ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_ms = excluded.expires_ms
        """
    }
}
