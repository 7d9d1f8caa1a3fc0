/// The parameters of an OAuth 2.0 request: an `application/x-www-form-urlencoded`
/// body (RFC 6749 §3.2, RFC 7009 §2.1) or a query string.
///
/// RFC 6749's rules: a parameter sent without a value is as if omitted (§3.1), a
/// parameter given twice makes the request `invalid_request` (§3.1, §3.2), and
/// parameters the server does not know are ignored (§3.1). A bad `%` escape or
/// invalid UTF-8 is a malformed request, not guessed at.
struct OAuthForm: Sendable, Equatable {
    private(set) var values: [String: String] = [:]

    subscript(name: String) -> String? { values[name] }

    enum Problem: Error, Equatable {
        case malformed
        case repeated(String)
    }

    init(_ bytes: some Collection<UInt8>) throws(Problem) {
        var seen: Set<String> = []
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            guard let name = OAuthForm.decode(pair[..<equals]) else { throw .malformed }
            let rest = equals == pair.endIndex ? pair[equals...] : pair[pair.index(after: equals)...]
            guard let value = OAuthForm.decode(rest) else { throw .malformed }
            guard seen.insert(name).inserted else { throw .repeated(name) }
            if !value.isEmpty { values[name] = value }
        }
    }

    /// Percent-decodes one name or value (`+` is a space); nil for a bad escape or invalid UTF-8.
    static func decode(_ encoded: some Collection<UInt8>) -> String? {
        FormDecoding.decode(encoded)
    }
}
