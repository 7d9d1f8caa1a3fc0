import WardenCrypto

/// The per-session CSRF token of the signed-in pages (SPEC §11): an HMAC of the session's
/// id, so that it needs no storage and dies with the session. The id lives only in an
/// `HttpOnly` cookie, so a page of another site can neither read nor compute it; every
/// form carries it in a hidden `csrf` field, and a POST without it gets `403`.
enum SessionCSRF {
    static let label = Array("warden web csrf v1".utf8)

    static func token(forSession id: String) -> String {
        guard let key = try? HMACKey(key: Array(id.utf8)) else { return "" }
        return Base64URL.encode(key.tag(label))
    }

    /// Whether `submitted` is the token of session `id`, compared in constant time.
    static func matches(_ submitted: String?, session id: String) -> Bool {
        guard let submitted else { return false }
        let expected = token(forSession: id)
        return !expected.isEmpty && ConstantTime.equals(Array(expected.utf8), Array(submitted.utf8))
    }
}
