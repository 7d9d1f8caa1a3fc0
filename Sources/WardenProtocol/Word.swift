/// One word of a request line, after unquoting.
///
/// The parser keeps whether the word was written in quotes because a quoted
/// word is always a plain value: `"a=b"` is never read as a `key=value` option.
public struct Word: Equatable, Sendable, CustomStringConvertible {
    /// The word's text with quotes removed and escapes resolved.
    public var text: String
    /// The key of a `key=value` word, or `nil` for a plain word.
    public var key: String?
    /// For a `key=value` word, the value; otherwise the whole text.
    public var value: String

    public init(text: String, quoted: Bool = false) {
        self.text = text
        // Split on scalars, as the parser does on bytes: `=` followed by a combining
        // mark is a single Character, which a Character search would not see.
        let scalars = text.unicodeScalars
        if !quoted, let equals = scalars.firstIndex(of: "="), equals != scalars.startIndex {
            self.key = String(scalars[..<equals]).lowercased()
            self.value = String(scalars[scalars.index(after: equals)...])
        } else {
            self.key = nil
            self.value = text
        }
    }

    /// A `key="quoted value"` word.
    public init(key: String, quotedValue: String) {
        self.text = key + "=" + quotedValue
        self.key = key.lowercased()
        self.value = quotedValue
    }

    /// A bare word straight from the line's bytes (valid UTF-8), with the offset of its
    /// first `=` found while scanning: the same split as `init(text:)`, without a second
    /// search. `=` is ASCII, so a byte offset is always a scalar boundary.
    init(bare bytes: UnsafeBufferPointer<UInt8>, equalsAt equals: Int?) {
        text = String(decoding: bytes, as: UTF8.self)
        if let equals, equals > 0 {
            let keyBytes = UnsafeBufferPointer(rebasing: bytes[..<equals])
            key = ASCIICase.folded(keyBytes, toUpper: false) ?? String(decoding: keyBytes, as: UTF8.self).lowercased()
            value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)...]), as: UTF8.self)
        } else {
            key = nil
            value = text
        }
    }

    public var description: String { text }
}
