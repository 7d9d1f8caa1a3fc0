/// Writes replies as protocol text (SPEC §2): values that need it are quoted with
/// the same escapes the parser reads, so a reply line parses back into its words.
///
/// The encoder appends UTF-8 bytes rather than building a `String`: it runs once
/// for every reply, and byte appends into a reused buffer cost no allocation.
/// Control characters are single bytes in UTF-8 (never part of a multi-byte
/// sequence), so replacing them byte by byte is the same as scalar by scalar.
public enum ReplyEncoder {
    public static func encode(_ reply: Reply, into output: inout [UInt8]) {
        output.append(contentsOf: reply.encodedData)
        encodeData(reply.data, into: &output)
        switch reply.status {
        case .ok(let fields):
            output.append(UInt8(ascii: "O"))
            output.append(UInt8(ascii: "K"))
            for field in fields {
                output.append(UInt8(ascii: " "))
                append(field, to: &output)
            }
        case .error(let code, let message):
            output.append(contentsOf: "ERR ".utf8)
            output.append(contentsOf: code.rawValue.utf8)
            if !message.isEmpty {
                output.append(UInt8(ascii: " "))
                // The message is free text on the rest of the line; keep it on one line.
                for byte in message.utf8 {
                    output.append(isControl(byte) ? UInt8(ascii: " ") : byte)
                }
            }
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// Data lines, each `* key=value …\n`.
    static func encodeData(_ data: [[Reply.Field]], into output: inout [UInt8]) {
        for line in data {
            output.append(UInt8(ascii: "*"))
            for field in line {
                output.append(UInt8(ascii: " "))
                append(field, to: &output)
            }
            output.append(UInt8(ascii: "\n"))
        }
    }

    public static func encode(_ reply: Reply) -> String {
        var bytes: [UInt8] = []
        encode(reply, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ field: Reply.Field, to output: inout [UInt8]) {
        switch field {
        case .word(let word):
            appendValue(word, to: &output)
        case .pair(let key, let value):
            output.append(contentsOf: key.utf8)
            output.append(UInt8(ascii: "="))
            appendValue(value, to: &output)
        case .quotedPair(let key, let value):
            output.append(contentsOf: key.utf8)
            output.append(UInt8(ascii: "="))
            appendValue(value, to: &output, alwaysQuote: true)
        }
    }

    /// Appends `value` bare when it can be, quoted otherwise.
    public static func appendValue(_ value: String, to output: inout String, alwaysQuote: Bool = false) {
        var bytes: [UInt8] = []
        appendValue(value, to: &bytes, alwaysQuote: alwaysQuote)
        output.append(String(decoding: bytes, as: UTF8.self))
    }

    /// Appends `value` bare when it can be, quoted otherwise.
    public static func appendValue(_ value: String, to output: inout [UInt8], alwaysQuote: Bool = false) {
        guard alwaysQuote || needsQuotes(value) else {
            output.append(contentsOf: value.utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            default:
                // Other control characters cannot be written in the protocol.
                output.append(isControl(byte) ? UInt8(ascii: " ") : byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }

    private static func needsQuotes(_ value: String) -> Bool {
        if value.isEmpty { return true }
        for byte in value.utf8 where byte <= 0x20 || byte == UInt8(ascii: "\"") || byte == 0x7F || byte == UInt8(ascii: "\\") {
            return true
        }
        return false
    }
}
