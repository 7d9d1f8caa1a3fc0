/// A strictly parsed `application/x-www-form-urlencoded` body (or query string):
/// `name=value` pairs joined by `&`, `+` for a space, `%XX` escapes, UTF-8.
///
/// Strict, because a page's form is ours: a malformed escape, invalid UTF-8, a field
/// given twice or a field the form does not have is a client that is not our form, and
/// is refused whole (`nil`) rather than guessed at.
struct FormBody: Sendable, Equatable {
    private(set) var fields: [String: String] = [:]

    subscript(name: String) -> String? { fields[name] }

    /// `nil` when the text is malformed, repeats a name, or names one not in `allowed`.
    init?(_ bytes: some Collection<UInt8>, allowed: Set<String>) {
        guard !bytes.isEmpty else { return }
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")),
                  let name = FormBody.decode(pair[..<equals]),
                  let value = FormBody.decode(pair[pair.index(after: equals)...]),
                  allowed.contains(name), fields[name] == nil
            else { return nil }
            fields[name] = value
        }
    }

    /// The value of field `name` in a form that may hold anything else: the CSRF check
    /// comes before a form is read strictly, so that a forged POST is a `403` whatever it holds.
    static func field(_ name: String, in bytes: some Collection<UInt8>) -> String? {
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), decode(pair[..<equals]) == name else { continue }
            return decode(pair[pair.index(after: equals)...])
        }
        return nil
    }

    /// Percent-decodes one name or value; `nil` for a bad escape or invalid UTF-8.
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
