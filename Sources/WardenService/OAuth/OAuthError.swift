/// An OAuth 2.0 error response (RFC 6749 §5.2, RFC 7009 §2.2.1): the `error` code,
/// a description for the developer reading it, and the status it goes with.
struct OAuthError: Error, Sendable, Equatable {
    var code: String
    var description: String
    var status: Int

    static func invalidRequest(_ description: String) -> OAuthError {
        OAuthError(code: "invalid_request", description: description, status: 400)
    }

    /// Always `401` with a `Basic` challenge (SPEC §13; RFC 6749 §5.2 asks for it when
    /// the client used Basic, and HTTP asks for a challenge on every 401).
    static func invalidClient(_ description: String = "client authentication failed") -> OAuthError {
        OAuthError(code: "invalid_client", description: description, status: 401)
    }

    static func invalidScope(_ description: String) -> OAuthError {
        OAuthError(code: "invalid_scope", description: description, status: 400)
    }

    static func unsupportedGrantType(_ description: String) -> OAuthError {
        OAuthError(code: "unsupported_grant_type", description: description, status: 400)
    }

    static let unavailable = OAuthError(
        code: "temporarily_unavailable", description: "storage failure; try again", status: 503)

    var answer: HTTPAnswer {
        var answer = HTTPAnswer.json(["error": code, "error_description": description], status: status)
        answer.headers.append(("Pragma", "no-cache"))
        if status == 401 { answer.headers.append(("WWW-Authenticate", "Basic realm=\"warden\", charset=\"UTF-8\"")) }
        return answer
    }
}
