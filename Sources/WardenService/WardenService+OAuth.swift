import WardenCore
import WardenCrypto
import WardenStore

/// OAuth 2.0 for services (SPEC §13): the client credentials grant (RFC 6749 §4.4)
/// issuing JWT access tokens (RFC 9068), and token revocation (RFC 7009). A client
/// is a service user; its secret is one of its API keys. Client authentication is
/// `attempt`'s, so the throttle, the audit entry and the failure count are those of
/// every other sign-in (SPEC §2.4, §2.5).
extension WardenService {
    /// The grant types `/oauth/token` takes.
    public static let oauthGrantTypes = ["client_credentials"]

    /// `POST /oauth/token`.
    public func oauthToken(_ request: OAuthRequest) async -> HTTPAnswer {
        do throws(OAuthError) {
            let form = try request.form()
            guard let grantType = form["grant_type"] else { throw .invalidRequest("grant_type is required") }
            guard WardenService.oauthGrantTypes.contains(grantType) else {
                throw .unsupportedGrantType("the grant types supported are \(WardenService.oauthGrantTypes.joined(separator: ", "))")
            }
            let audience = try WardenService.oauthAudience(form)
            let scope = try WardenService.oauthScope(form)
            let client = try OAuthClientCredentials(authorization: request.authorization, form: form)
            let token = TokenRequest(audience: audience, ttl: configuration.tokenTTL, access: AccessTokenRequest(scope: scope))
            switch await attempt(username: client.id, secret: client.secret, source: request.source, action: "oauth.token",
                                 token: token, client: true) {
            case .success(_, let issued?, _, _):
                // RFC 6749 §5.1, written by hand: `JSONSerialization` took a sixth of
                // the server's time a token (BENCHMARKS.md, OAuth).
                let expiresIn = issued.record.expires.seconds - issued.record.issued.seconds
                let body = "{\"access_token\":\(JSONText.quote(issued.token)),\"expires_in\":\(expiresIn),"
                    + "\"scope\":\(JSONText.quote(issued.access?.scope ?? "")),\"token_type\":\"Bearer\"}"
                return HTTPAnswer(status: 200, body: body, headers: [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
            case .tokenRefused(let refusal): throw refusal
            case .unavailable: throw .unavailable
            case .success, .failure, .mfaRequired: throw .invalidClient()
            }
        } catch {
            return error.answer
        }
    }

    /// `POST /oauth/revoke`: a client revokes a token issued to it. `200` whatever the
    /// token was (RFC 7009 §2.2): another client's token, an expired or revoked one, or
    /// garbage is answered the same and nothing changes, so the endpoint tells nobody
    /// whether a token exists. `token_type_hint` is accepted and ignored: Warden has
    /// one kind of token to look up (RFC 7009 §2.1 lets the server ignore it).
    public func oauthRevoke(_ request: OAuthRequest) async -> HTTPAnswer {
        do throws(OAuthError) {
            let form = try request.form()
            let client = try OAuthClientCredentials(authorization: request.authorization, form: form)
            guard let token = form["token"] else { throw .invalidRequest("token is required") }
            switch await attempt(username: client.id, secret: client.secret, source: request.source, action: "oauth.revoke",
                                 recordSuccess: false, client: true) {
            case .success(let user, _, _, _):
                do {
                    try await revoke(token, of: user, source: request.source)
                } catch {
                    throw .unavailable
                }
                var answer = HTTPAnswer.json([:])
                answer.headers.append(("Pragma", "no-cache"))
                return answer
            case .unavailable: throw .unavailable
            case .failure, .mfaRequired, .tokenRefused: throw .invalidClient()
            }
        } catch {
            return error.answer
        }
    }

    /// Revokes `token` if it is a live token of `client`, with its audit entry.
    private func revoke(_ token: String, of client: User, source: String) async throws(WardenError) {
        guard let jti = (try? JWS.decode(token))?.claims.jti, jti.utf8.count <= 128 else { return }
        let clientID = client.id
        @Sendable func isLiveToken(in state: ServiceState) -> Bool {
            guard let record = state.tokens[jti] else { return false }
            return record.userID == clientID && record.revocation == nil
        }
        guard state.withLock({ isLiveToken(in: $0) }) else { return }
        _ = try await store.writer.submit(.keys(["token:\(jti)"])) { [self] transaction -> Committed<Bool> in
            // Looked at again in the writer: the token may have been revoked since.
            guard state.withLock({ isLiveToken(in: $0) }) else { return Committed(false) }
            try transaction.write(.tokenRevoked(jti: jti))
            try transaction.audit(actor: client.name, source: source, action: "oauth.revoke", target: client.name, detail: "jti=\(jti)")
            return Committed(true)
        }
    }

    /// The client's secret must be one of its API keys, and the client a service user.
    static func isClientSecret(_ credential: SessionCredential, of user: User?) -> Bool {
        guard case .apiKey = credential, user?.kind == .service else { return false }
        return true
    }

    /// What an access token for `user` carries: the permissions of `audience` asked for
    /// that the client holds now (`CHECK` allows), or, when no `scope` was asked for,
    /// every permission of `audience` it holds (possibly none: a token that proves who
    /// the client is and grants nothing of the audience's). Told only to a client that
    /// proved its secret, as `LOGIN` tells whether a system exists.
    func accessGrant(to user: User, audience: String, scope wanted: [String]?) -> Result<AccessClaims, OAuthError> {
        let now = Timestamp.now()
        return state.withLock { state in
            let directory = state.directory
            guard directory.systems[audience] != nil else { return .failure(.invalidRequest("no system \(audience)")) }
            let held: [String]
            if let wanted {
                held = wanted.filter { directory.check(user: user.name, Entitlement(system: audience, permission: $0), at: now).isAllowed }
                guard !held.isEmpty else {
                    return .failure(.invalidScope("the client holds none of the permissions of \(audience) asked for"))
                }
            } else {
                held = directory.access(user: user.name, at: now).filter { $0.entitlement.system == audience }.map(\.entitlement.permission)
            }
            return .success(AccessClaims(clientID: user.name, scope: Set(held).sorted().joined(separator: " ")))
        }
    }

    /// A token request the client was right to make and Warden refuses: audited as a
    /// failure; the throttle counts the proven secret as a success.
    func refuse(_ refusal: OAuthError, _ turn: LoginThrottle.Turn, client: String, source: String, action: String) async -> AttemptResult {
        throttle.succeeded(turn)
        do {
            _ = try await store.writer.submit(.keys([])) { transaction in
                try transaction.audit(actor: client, source: source, action: action, target: client,
                                      detail: "\(refusal.code): \(refusal.description)", result: .failed)
                return Committed(true)
            }
        } catch {
            return .unavailable
        }
        return .tokenRefused(refusal)
    }

    /// The audit detail of a successful attempt that issued a token.
    func tokenDetail(_ request: TokenRequest?, _ issued: IssuedToken?) -> String {
        guard let request else { return "" }
        guard let issued, let access = issued.access else { return "aud=\(request.audience)" }
        let scope = access.permissions.joined(separator: ",")
        return "aud=\(request.audience) scope=\(scope.isEmpty ? "-" : scope) jti=\(issued.record.jti)"
    }

    /// `audience=` or `resource=` (the same when both are given): the token's `aud`,
    /// `warden` by default. Whether the system exists is told after authentication.
    static func oauthAudience(_ form: OAuthForm) throws(OAuthError) -> String {
        let given = [form["audience"], form["resource"]].compactMap { $0 }
        guard let first = given.first else { return BuiltIn.system }
        let audience = Identifier.fold(first)
        guard Identifier.isValid(audience) else { throw .invalidRequest("audience is not a system name") }
        guard given.allSatisfy({ Identifier.fold($0) == audience }) else {
            throw .invalidRequest("audience and resource name different systems")
        }
        return audience
    }

    /// `scope=`: space-separated permission names (RFC 6749 §3.3), nil when absent.
    static func oauthScope(_ form: OAuthForm) throws(OAuthError) -> [String]? {
        guard let text = form["scope"] else { return nil }
        let names = text.split(separator: " ").map { Identifier.fold(String($0)) }
        guard !names.isEmpty, names.count <= 256, names.allSatisfy(Identifier.isValid) else {
            throw .invalidScope("scope is a space-separated list of permission names")
        }
        return names
    }
}

extension WardenService {
    /// A body over the HTTP side's limit at an OAuth endpoint, in RFC 6749's error shape.
    public static let oauthBodyTooLarge = OAuthError(
        code: "invalid_request", description: "the request body is too large", status: 413).answer

    /// A method an OAuth endpoint does not take (they take `POST`).
    public static let oauthMethodNotAllowed: HTTPAnswer = {
        var answer = OAuthError(code: "invalid_request", description: "use POST", status: 405).answer
        answer.headers.append(("Allow", "POST"))
        return answer
    }()

    /// An `Authorization` header given more than once: which one counts is not guessed.
    public static let oauthRepeatedAuthorization = OAuthError.invalidRequest("the Authorization header is given more than once").answer
}
