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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = encoded.index(after: index)
                guard high != encoded.endIndex else { return nil }
                let low = encoded.index(after: high)
                guard low != encoded.endIndex, let h = hexValue(encoded[high]), let l = hexValue(encoded[low]) else { return nil }
                bytes.append(h << 4 | l)
                index = low
            default:
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
