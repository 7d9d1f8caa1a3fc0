import WardenService

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
        FormDecoding.decode(encoded)
    }
}
