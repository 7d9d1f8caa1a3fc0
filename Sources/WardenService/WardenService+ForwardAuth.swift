import Foundation
import WardenCore
import WardenCrypto

/// `GET /forward-auth?system=S&permission=P` (SPEC §13): the decision a reverse proxy
/// (nginx `auth_request`, Traefik `forwardAuth`) asks before it passes a request on.
/// Answered from memory, as `VALIDATE` is: one signature check (cached per token),
/// the token record and `CHECK`, no storage round trip. Not audited, as `CHECK` and
/// `VALIDATE` are not: every request through the proxy asks, and the proxy logs them.
extension WardenService {
    /// The answer for the proxy: `200` with `X-Warden-User` and `X-Warden-Token-Id`,
    /// `401` (a `Bearer` challenge) without a valid token for `S`, `403` when the
    /// token's user may not use `S P`, `400` when the query does not say what to check.
    public func forwardAuth(query: String?, authorization: String?) -> HTTPOutcome {
        guard let wanted = WardenService.forwardAuthTarget(query) else {
            return .now(HTTPAnswer(status: 400, contentType: "text/plain",
                                   body: "usage: /forward-auth?system=SYSTEM&permission=PERMISSION, each once\n",
                                   headers: [("Cache-Control", "no-store")]))
        }
        guard let token = WardenService.bearerToken(authorization) else {
            metrics.increment("forward_auth_unauthorized")
            return .now(WardenService.bearerChallenge(error: nil))
        }
        let now = Timestamp.now()
        let first = verdict(on: token, at: now)
        guard case .notOnRecord = first else { return .now(forwardAuthAnswer(first, wanted, at: now)) }
        // Issued by another node a moment ago: answered once this node has caught up.
        return .later { [self] in
            let settled = await settledVerdict(on: token)
            return forwardAuthAnswer(settled, wanted, at: Timestamp.now())
        }
    }

    private func forwardAuthAnswer(_ verdict: TokenVerdict, _ wanted: Entitlement, at now: Timestamp) -> HTTPAnswer {
        // Only a token for this system or for Warden itself speaks for its user here.
        guard case .valid(let claims, let user) = verdict, claims.aud == wanted.system || claims.aud == BuiltIn.system else {
            metrics.increment("forward_auth_unauthorized")
            return WardenService.bearerChallenge(error: "invalid_token")
        }
        guard tokenAllows(claims, user: user, wanted, at: now) else {
            metrics.increment("forward_auth_denied")
            return HTTPAnswer(status: 403, contentType: "text/plain", body: "forbidden\n", headers: [
                ("Cache-Control", "no-store"),
                ("WWW-Authenticate", "Bearer realm=\"warden\", error=\"insufficient_scope\""),
            ])
        }
        metrics.increment("forward_auth_allowed")
        return HTTPAnswer(status: 200, contentType: "text/plain", body: "ok\n", headers: [
            ("Cache-Control", "no-store"), ("X-Warden-User", user.name), ("X-Warden-Token-Id", claims.jti),
        ])
    }

    /// Whether a valid token lets its user use `wanted`: `CHECK` allows it, and an
    /// OAuth access token (SPEC §13) for that very system also carries the permission
    /// in its `scope`: a client that asked for less than it holds gets no more. An
    /// access token for `warden` is Warden's own kind of token elsewhere: its scope
    /// names `warden`'s permissions and says nothing of another system's.
    func tokenAllows(_ claims: JWTClaims, user: User, _ wanted: Entitlement, at now: Timestamp) -> Bool {
        if let access = claims.access, claims.aud == wanted.system, !access.permissions.contains(wanted.permission) {
            return false
        }
        return state.withLock { $0.directory.check(user: user.name, wanted, at: now).isAllowed }
    }

    /// `system` and `permission` from the query: each exactly once, an identifier;
    /// nil for anything else (a malformed query, a repeated parameter).
    static func forwardAuthTarget(_ query: String?) -> Entitlement? {
        guard let form = try? OAuthForm(Array((query ?? "").utf8)),
              let system = form["system"].map(Identifier.fold), Identifier.isValid(system),
              let permission = form["permission"].map(Identifier.fold), Identifier.isValid(permission)
        else { return nil }
        return Entitlement(system: system, permission: permission)
    }

    /// `Bearer TOKEN` → TOKEN (RFC 6750 §2.1; the scheme in any case).
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.utf8.count <= JWS.maximumTokenBytes + 64 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// `401` with RFC 6750 §3's challenge; `error` when a token came and was not valid.
    static func bearerChallenge(error: String?) -> HTTPAnswer {
        let challenge = error.map { "Bearer realm=\"warden\", error=\"\($0)\"" } ?? "Bearer realm=\"warden\""
        return HTTPAnswer(status: 401, contentType: "text/plain", body: "unauthorized\n", headers: [
            ("Cache-Control", "no-store"), ("WWW-Authenticate", challenge),
        ])
    }
}
