/// Splits one request line into words (SPEC §2).
///
/// A word is bare (no space, `"` or control character) or double-quoted with the
/// escapes `\"` `\\` `\n` `\t`; a `key=value` word may quote its value. Words are
/// separated by one or more spaces. The parser works on bytes and decodes UTF-8 once,
/// so that it can refuse invalid UTF-8 and control characters precisely.
public enum LineParser {
    /// The longest line accepted, not counting the CR LF that ends it.
    public static let maximumLineBytes = 16_384

    /// Parses a line that has already been cut at LF (and had its CR removed).
    /// Returns an empty array for an empty or all-space line.
    ///
    /// Inlinable so that the server's call with a `ByteBufferView` is specialized and
    /// reaches the byte-level parser without copying the line or going through
    /// generic witness tables: this runs once for every request.
    @inlinable
    public static func words<Bytes: Collection>(in line: Bytes) throws(ProtocolError) -> [Word]
    where Bytes.Element == UInt8 {
        guard line.count <= maximumLineBytes else { throw .lineTooLong }
        if let result = line.withContiguousStorageIfAvailable({ words(inBytes: $0) }) {
            return try result.get()
        }
        return try Array(line).withUnsafeBufferPointer { words(inBytes: $0) }.get()
    }

    @usableFromInline
    static func words(inBytes bytes: UnsafeBufferPointer<UInt8>) -> Result<[Word], ProtocolError> {
        do throws(ProtocolError) {
            return .success(try scan(bytes))
        } catch {
            return .failure(error)
        }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(ProtocolError) -> [Word] {
        guard bytes.count <= maximumLineBytes else { throw .lineTooLong }
        guard isValidUTF8(bytes) else { throw .invalidUTF8 }
        var words: [Word] = []
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                let (value, next) = try quoted(bytes, from: index)
                words.append(Word(text: value, quoted: true))
                index = next
                continue
            }
            // A bare word, possibly `key=value` or `key="quoted value"`.
            let start = index
            var equals: Int?
            var endedByQuotedValue = false
            while index < count {
                let b = bytes[index]
                if b == UInt8(ascii: " ") { break }
                if b < 0x20 || b == 0x7F { throw .controlCharacter }
                if b == UInt8(ascii: "=") {
                    if equals == nil { equals = index }
                } else if b == UInt8(ascii: "\"") {
                    // Only directly after `key=`, with a key of at least one byte.
                    guard index > start + 1, equals == index - 1 else { throw .misplacedQuote }
                    let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
                    let (value, next) = try quoted(bytes, from: index)
                    words.append(Word(key: key, quotedValue: value))
                    index = next
                    endedByQuotedValue = true
                    break
                }
                index += 1
            }
            if !endedByQuotedValue {
                words.append(Word(bare: UnsafeBufferPointer(rebasing: bytes[start..<index]), equalsAt: equals.map { $0 - start }))
            }
        }
        return words
    }

    /// Most lines are ASCII: check that cheaply before asking for a full validation.
    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        if combined < 0x80 { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// Reads a quoted string starting at the opening quote; returns the unescaped
    /// value and the index after the closing quote, which must end the word.
    private static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, from open: Int) throws(ProtocolError) -> (String, Int) {
        var value: [UInt8] = []
        var index = open + 1
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                let next = index + 1
                guard next == bytes.count || bytes[next] == UInt8(ascii: " ") else { throw .misplacedQuote }
                return (String(decoding: value, as: UTF8.self), next)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw .unterminatedQuote }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                default: throw .invalidEscape
                }
                index += 2
            default:
                if b < 0x20 || b == 0x7F { throw .controlCharacter }
                value.append(b)
                index += 1
            }
        }
        throw .unterminatedQuote
    }
}
