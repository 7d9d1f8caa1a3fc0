import WardenCore
import WardenCrypto
import WardenStore

/// The verdict on a token (SPEC §2.4 `VALIDATE`), shared by `VALIDATE`,
/// `AUTH TOKEN` and `POST /introspect`.
enum TokenVerdict: Sendable {
    case valid(JWTClaims, User)
    /// The first reason that applies, in the SPEC's order.
    case invalid(String)
    /// Signed by one of our keys and live, but not on this node's record: issued by
    /// another node a moment ago, or never issued in this database's history. Settled
    /// by catching up (`settledVerdict`), never answered as it is.
    case notOnRecord
}

extension WardenService {
    /// Warden validates against its own clock, so it allows no leeway: a token is
    /// expired at its `exp` to the second (other validators may allow up to 60 s).
    static let leewaySeconds: Int64 = 0

    /// The verdict, after catching up with the other nodes when the token is not on this
    /// node's record yet (SPEC §6: a token from any node validates on every node, even
    /// one issued a moment ago). Still not on record after that: revoked (fail closed).
    func settledVerdict(on token: String) async -> TokenVerdict {
        let first = verdict(on: token, at: Timestamp.now())
        guard case .notOnRecord = first else { return first }
        _ = try? await store.sync(timeout: .seconds(1))
        let second = verdict(on: token, at: Timestamp.now())
        guard case .notOnRecord = second else { return second }
        return .invalid("revoked")
    }

    func verdict(on token: String, at now: Timestamp) -> TokenVerdict {
        metrics.increment("tokens_validated")
        guard token.utf8.count <= JWS.maximumTokenBytes else { return .invalid("malformed") }
        let decoded: DecodedJWS
        if let cached = tokenCache.lookup(token) {
            // Cached only after its signature verified; its key must still be published.
            guard state.withLock({ $0.keyring.verifier(kid: cached.kid, at: now) }) != nil else { return .invalid("unknown-key") }
            decoded = cached
        } else {
            do {
                // A token for another issuer is refused even when one of our keys signed it.
                decoded = try JWS.decode(token, issuer: configuration.issuer)
            } catch {
                return .invalid("malformed")
            }
            guard let key = state.withLock({ $0.keyring.verifier(kid: decoded.kid, at: now) }) else { return .invalid("unknown-key") }
            guard JWS.verify(decoded, with: key) else { return .invalid("bad-signature") }
            tokenCache.insert(token, decoded)
        }
        let claims = decoded.claims
        let seconds = now.seconds
        guard seconds < claims.exp + WardenService.leewaySeconds else { return .invalid("expired") }
        guard claims.nbf <= seconds + WardenService.leewaySeconds else { return .invalid("not-yet-valid") }
        return state.withLock { state -> TokenVerdict in
            // Every token Warden issued is on record until it expires; one that is
            // not was never issued by this server's current history: fail closed.
            guard let record = state.tokens[claims.jti] else { return .notOnRecord }
            guard let user = state.directory.user(id: record.userID), user.name == claims.sub else { return .invalid("revoked") }
            switch record.revocation {
            case .revoked: return .invalid("revoked")
            case .disabled: return .invalid(user.status == .disabled ? "disabled" : "revoked")
            case nil: break
            }
            guard user.status == .active else { return .invalid("disabled") }
            return .valid(claims, user)
        }
    }
}
