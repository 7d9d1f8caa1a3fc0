import Foundation
import WardenCore
import WardenCrypto
import WardenStore

/// What the HTTP side (SPEC §3) asks of the service, in HTTP's terms.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var contentType: String
    public var body: String
    public var headers: [(String, String)]

    public init(status: Int, contentType: String = "application/json", body: String, headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func json(_ object: [String: Any], status: Int = 200) -> HTTPAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return HTTPAnswer(status: status, body: String(decoding: data, as: UTF8.self), headers: [("Cache-Control", "no-store")])
    }

    static let unauthorized = HTTPAnswer(
        status: 401, body: "{\"error\":\"invalid_client\"}",
        headers: [("WWW-Authenticate", "Basic realm=\"warden\", charset=\"UTF-8\"")])
}

extension WardenService {
    /// `GET /metrics`: the counters, and this node's revision and lag (SPEC §6).
    public func metricsText() -> String {
        var text = metrics.render()
        text += "# HELP warden_revision The newest audit entry whose change this node has applied.\n# TYPE warden_revision gauge\n"
        text += "warden_revision \(store.writer.revision)\n"
        text += "# HELP warden_lag_entries Committed audit entries this node knows of and has not applied yet.\n# TYPE warden_lag_entries gauge\n"
        text += "warden_lag_entries \(store.lag)\n"
        return text
    }

    /// `GET /.well-known/jwks.json`.
    public func jwksDocument() -> HTTPAnswer {
        var answer = HTTPAnswer.json(["keys": jwks()])
        answer.headers = [("Cache-Control", "max-age=60")]
        return answer
    }

    /// `GET /.well-known/openid-configuration`; `baseURL` is how the client reached us.
    /// OpenID Connect Discovery's required members are there so that its clients
    /// (go-oidc, authlib) take the document, though Warden issues no ID tokens and has
    /// no authorization endpoint: `response_types_supported` says `none` (RFC 8414 asks
    /// for the member; no response type of an authorization endpoint is offered).
    public func openIDConfiguration(baseURL: String) -> HTTPAnswer {
        var document = authorizationServerDocument(baseURL: baseURL)
        document["id_token_signing_alg_values_supported"] = [configuration.signingAlgorithm.rawValue]
        document["subject_types_supported"] = ["public"]
        return .json(document)
    }

    /// `GET /.well-known/oauth-authorization-server` (RFC 8414). Its `issuer` is the
    /// tokens' `iss`, as RFC 8414 §3.3 and RFC 9068 §4 require of a client's check.
    public func authorizationServerMetadata(baseURL: String) -> HTTPAnswer {
        .json(authorizationServerDocument(baseURL: baseURL))
    }

    private func authorizationServerDocument(baseURL: String) -> [String: Any] {
        [
            "issuer": configuration.issuer,
            "jwks_uri": baseURL + "/.well-known/jwks.json",
            "introspection_endpoint": baseURL + "/introspect",
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic"],
            "token_endpoint": baseURL + "/oauth/token",
            "token_endpoint_auth_methods_supported": OAuthClientCredentials.methods,
            "revocation_endpoint": baseURL + "/oauth/revoke",
            "revocation_endpoint_auth_methods_supported": OAuthClientCredentials.methods,
            "grant_types_supported": WardenService.oauthGrantTypes,
            "response_types_supported": ["none"],
        ]
    }

    /// `POST /introspect` (RFC 7662) with HTTP Basic authentication of a user holding
    /// `warden introspect`; any token that is not valid is `{"active":false}` and nothing more.
    public func introspect(authorization: String?, body: [UInt8], source: String) async -> HTTPAnswer {
        guard let (username, secret) = WardenService.basicCredentials(authorization) else { return .unauthorized }
        guard case .success(let client, _, _, _) = await attempt(
            username: username, secret: secret, source: source, action: "http.basic", recordSuccess: false)
        else { return .unauthorized }
        let now = Timestamp.now()
        guard state.withLock({ $0.directory.allows(client.name, .introspect, at: now) }) else {
            _ = try? await store.writer.submit(.keys([])) { transaction in
                try transaction.audit(actor: client.name, source: source, action: "introspect", target: "-",
                                      detail: "requires warden introspect", result: .denied)
                return Committed(true)
            }
            return .json(["error": "insufficient_scope"], status: 403)
        }
        guard let token = WardenService.formValue("token", in: body) else {
            return .json(["error": "invalid_request", "error_description": "token is required"], status: 400)
        }
        guard case .valid(let claims, _) = await settledVerdict(on: token) else { return .json(["active": false]) }
        var fields: [String: Any] = [
            "active": true, "sub": claims.sub, "aud": claims.aud, "exp": claims.exp, "iat": claims.iat,
            "nbf": claims.nbf, "jti": claims.jti, "iss": claims.iss, "token_type": "Bearer",
        ]
        if let access = claims.access {
            // An OAuth access token (SPEC §13): its client and scope (RFC 7662 §2.2).
            fields["client_id"] = access.clientID
            fields["scope"] = access.scope
        }
        return .json(fields)
    }

    /// `Basic base64(user:secret)` → (user, secret).
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.count <= 4096 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8)?.unicodeScalars,
              // Scalars, not Characters: `:` before a combining mark is one Character.
              let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// A value of an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let key = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            if key == name {
                return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
        }
        return nil
    }
}
