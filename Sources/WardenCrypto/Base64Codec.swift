/// Strict, unpadded base64 shared by `Base64URL` (JWS) and `Base64` (PHC strings).
///
/// Lenient decoders accept several spellings of the same bytes (padding or not,
/// whitespace, stray bits in the last character). For signed tokens that means one
/// signature has many encodings, which RFC 8725 warns against, so decoding here
/// accepts exactly one spelling: the one `encode` produces.
struct Base64Codec: Sendable {
    /// The 64 symbols, in value order.
    private let alphabet: [UInt8]
    /// Symbol value per byte, or -1 for bytes outside the alphabet.
    private let values: [Int8]

    /// RFC 4648 §4 alphabet (`+` and `/`), used by PHC strings.
    static let standard = Base64Codec(symbols: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    /// RFC 4648 §5 URL-safe alphabet (`-` and `_`), used by JWS.
    static let url = Base64Codec(symbols: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    private init(symbols: StaticString) {
        var alphabet = [UInt8]()
        symbols.withUTF8Buffer { alphabet = Array($0) }
        var values = [Int8](repeating: -1, count: 256)
        for (index, symbol) in alphabet.enumerated() {
            values[Int(symbol)] = Int8(index)
        }
        self.alphabet = alphabet
        self.values = values
    }

    /// Encodes without padding.
    func encode(_ bytes: [UInt8]) -> String {
        var text = [UInt8]()
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            text.append(alphabet[Int(chunk >> 18 & 0x3F)])
            text.append(alphabet[Int(chunk >> 12 & 0x3F)])
            text.append(alphabet[Int(chunk >> 6 & 0x3F)])
            text.append(alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let chunk = UInt32(bytes[index]) << 16
            text.append(alphabet[Int(chunk >> 18 & 0x3F)])
            text.append(alphabet[Int(chunk >> 12 & 0x3F)])
        case 2:
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            text.append(alphabet[Int(chunk >> 18 & 0x3F)])
            text.append(alphabet[Int(chunk >> 12 & 0x3F)])
            text.append(alphabet[Int(chunk >> 6 & 0x3F)])
        default:
            break
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes unpadded text, or returns nil if it is not the canonical encoding
    /// of some byte string: a symbol outside the alphabet (including `=`,
    /// whitespace and the other alphabet's `+/` or `-_`), a length of 1 mod 4, or
    /// non-zero unused bits in the last symbol.
    func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        let count = text.count
        guard count % 4 != 1 else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var pendingBits = 0
        for symbol in text {
            let value = values[Int(symbol)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            pendingBits += 6
            if pendingBits >= 8 {
                pendingBits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(pendingBits)))
                accumulator &= (1 << UInt32(pendingBits)) - 1
            }
        }
        // Leftover bits (2 or 4) carry no data; a canonical encoder writes zeros.
        guard accumulator == 0 else { return nil }
        return output
    }
}
