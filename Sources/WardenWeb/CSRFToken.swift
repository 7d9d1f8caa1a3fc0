import WardenCrypto

/// The double-submit CSRF token of the pages used before sign-in (`/activate`): there
/// is no session yet to keep a token in, so the token lives in a cookie that only this
/// origin can set (`SameSite=Strict`, `HttpOnly`; under TLS the `__Host-` prefix also
/// stops a sibling subdomain from planting one) and is echoed by the form in a hidden
/// field. A cross-site form can send the cookie but cannot read it to copy it into the
/// field, so a POST whose field does not match its cookie is refused with `403`.
struct CSRFToken: Sendable, Equatable {
    let value: String

    /// 256 random bits, base64url.
    static func random() -> CSRFToken {
        CSRFToken(value: Base64URL.encode(SecureRandom.bytes(32)))
    }

    /// The cookie's name: `__Host-` requires `Secure`, which a plaintext listener cannot set.
    static func cookieName(secure: Bool) -> String {
        secure ? "__Host-warden-csrf" : "warden-csrf"
    }

    /// The `Set-Cookie` value that hands the token to the browser. No `Max-Age`: it
    /// lives as long as the browser session.
    func setCookie(secure: Bool) -> String {
        "\(CSRFToken.cookieName(secure: secure))=\(value); Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The token of the request's `Cookie` header, when it holds a well-formed one.
    static func fromCookies(_ header: String?, secure: Bool) -> CSRFToken? {
        guard let header else { return nil }
        let name = cookieName(secure: secure) + "="
        for cookie in header.split(separator: ";") {
            let trimmed = cookie.drop { $0 == " " }
            guard trimmed.hasPrefix(name) else { continue }
            let value = String(trimmed.dropFirst(name.count))
            guard let bytes = Base64URL.decodeStrict(value), bytes.count == 32 else { return nil }
            return CSRFToken(value: value)
        }
        return nil
    }

    /// Whether `submitted` (the form's field) is this token, compared in constant time.
    func matches(_ submitted: String?) -> Bool {
        guard let submitted else { return false }
        return ConstantTime.equals(Array(value.utf8), Array(submitted.utf8))
    }
}
