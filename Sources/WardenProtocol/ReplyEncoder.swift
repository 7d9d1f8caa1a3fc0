/// Writes replies as protocol text (SPEC §2): values that need it are quoted with
/// the same escapes the parser reads, so a reply line parses back into its words.
public enum ReplyEncoder {
    public static func encode(_ reply: Reply, into output: inout String) {
        for line in reply.data {
            output.append("*")
            for field in line {
                output.append(" ")
                append(field, to: &output)
            }
            output.append("\n")
        }
        switch reply.status {
        case .ok(let fields):
            output.append("OK")
            for field in fields {
                output.append(" ")
                append(field, to: &output)
            }
        case .error(let code, let message):
            output.append("ERR ")
            output.append(code)
            if !message.isEmpty {
                output.append(" ")
                // The message is free text on the rest of the line; keep it on one line.
                for scalar in message.unicodeScalars {
                    output.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
                }
            }
        }
        output.append("\n")
    }

    public static func encode(_ reply: Reply) -> String {
        var output = ""
        encode(reply, into: &output)
        return output
    }

    private static func append(_ field: Reply.Field, to output: inout String) {
        switch field {
        case .word(let word):
            appendValue(word, to: &output)
        case .pair(let key, let value):
            output.append(key)
            output.append("=")
            appendValue(value, to: &output)
        case .quotedPair(let key, let value):
            output.append(key)
            output.append("=")
            appendValue(value, to: &output, alwaysQuote: true)
        }
    }

    /// Appends `value` bare when it can be, quoted otherwise.
    public static func appendValue(_ value: String, to output: inout String, alwaysQuote: Bool = false) {
        if alwaysQuote || needsQuotes(value) {
            output.append("\"")
            for character in value.unicodeScalars {
                switch character {
                case "\"": output.append("\\\"")
                case "\\": output.append("\\\\")
                case "\n": output.append("\\n")
                case "\t": output.append("\\t")
                default:
                    // Other control characters cannot be written in the protocol.
                    output.unicodeScalars.append(character.value < 0x20 || character.value == 0x7F ? " " : character)
                }
            }
            output.append("\"")
        } else {
            output.append(value)
        }
    }

    private static func needsQuotes(_ value: String) -> Bool {
        if value.isEmpty { return true }
        for byte in value.utf8 where byte <= 0x20 || byte == UInt8(ascii: "\"") || byte == 0x7F || byte == UInt8(ascii: "\\") {
            return true
        }
        return false
    }
}
