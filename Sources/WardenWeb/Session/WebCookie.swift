/// The cookies of the signed-in pages (SPEC §11): all `HttpOnly`, `SameSite=Strict`,
/// `Path=/`; under TLS also `Secure` with the `__Host-` prefix (no sibling subdomain
/// can plant one). None has `Max-Age`: they end with the browser session, and the
/// server decides when a session ends in any case.
enum WebCookie {
    /// The session's random id.
    static func session(secure: Bool) -> String { secure ? "__Host-warden-session" : "warden-session" }
    /// A sign-in waiting for its TOTP code (sealed, five minutes).
    static func pendingSignIn(secure: Bool) -> String { secure ? "__Host-warden-signin" : "warden-signin" }

    /// The value of cookie `name` in a `Cookie` header.
    static func value(of name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for cookie in header.split(separator: ";") {
            let trimmed = cookie.drop { $0 == " " }
            if trimmed.hasPrefix(name + "=") { return String(trimmed.dropFirst(name.count + 1)) }
        }
        return nil
    }

    static func set(_ name: String, _ value: String, secure: Bool) -> String {
        "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Tells the browser to drop the cookie.
    static func clear(_ name: String, secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// A session id as Warden makes them: 32 random bytes, base64url (43 characters).
    static func isSessionID(_ value: String) -> Bool {
        value.utf8.count == 43 && value.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
