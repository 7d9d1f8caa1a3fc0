/// A token of a filter: brackets, a JSON string, or a word (an attribute path, an
/// operator, `and`/`or`/`not`, a number, `true`/`false`/`null`).
enum SCIMFilterToken: Sendable, Equatable {
    case openParen, closeParen, openBracket, closeBracket
    case string(String)
    case word(Substring)

    var text: String {
        switch self {
        case .openParen: "("
        case .closeParen: ")"
        case .openBracket: "["
        case .closeBracket: "]"
        case .string(let value): "\"" + value + "\""
        case .word(let word): String(word)
        }
    }

    /// Splits `text` into tokens. Words end at a space, a bracket or a quote.
    static func tokenize(_ text: String) throws(SCIMFilterError) -> [SCIMFilterToken] {
        var tokens: [SCIMFilterToken] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\n", "\r":
                index = scalars.index(after: index)
            case "(": tokens.append(.openParen); index = scalars.index(after: index)
            case ")": tokens.append(.closeParen); index = scalars.index(after: index)
            case "[": tokens.append(.openBracket); index = scalars.index(after: index)
            case "]": tokens.append(.closeBracket); index = scalars.index(after: index)
            case "\"":
                let (value, next) = try readString(scalars, from: index)
                tokens.append(.string(value))
                index = next
            default:
                var end = index
                while end < scalars.endIndex, !" \t\n\r()[]\"".unicodeScalars.contains(scalars[end]) {
                    end = scalars.index(after: end)
                }
                tokens.append(.word(Substring(scalars[index..<end])))
                index = end
            }
        }
        return tokens
    }

    /// A JSON string (RFC 8259 §7) starting at the quote at `start`: its value and the index after it.
    private static func readString(
        _ scalars: String.UnicodeScalarView, from start: String.UnicodeScalarView.Index
    ) throws(SCIMFilterError) -> (String, String.UnicodeScalarView.Index) {
        var value = String.UnicodeScalarView()
        var index = scalars.index(after: start)
        var pendingHigh: UInt32?
        func next() throws(SCIMFilterError) -> Unicode.Scalar {
            guard index < scalars.endIndex else { throw .unterminatedString }
            defer { index = scalars.index(after: index) }
            return scalars[index]
        }
        while true {
            let scalar = try next()
            if pendingHigh != nil, scalar != "\\" { throw .invalidString("a lone surrogate escape") }
            switch scalar {
            case "\"":
                return (String(value), index)
            case "\\":
                let escape = try next()
                if pendingHigh != nil, escape != "u" { throw .invalidString("a lone surrogate escape") }
                switch escape {
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                case "/": value.append("/")
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                case "u":
                    var code: UInt32 = 0
                    for _ in 0..<4 {
                        guard let digit = hexDigit(try next()) else {
                            throw .invalidString("\\u needs four hex digits")
                        }
                        code = code << 4 | digit
                    }
                    if let high = pendingHigh {
                        guard (0xDC00...0xDFFF).contains(code) else { throw .invalidString("a lone surrogate escape") }
                        pendingHigh = nil
                        let combined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                        guard let scalar = Unicode.Scalar(combined) else { throw .invalidString("a bad surrogate pair") }
                        value.append(scalar)
                    } else if (0xD800...0xDBFF).contains(code) {
                        pendingHigh = code
                    } else if let scalar = Unicode.Scalar(code) {
                        value.append(scalar)
                    } else {
                        throw .invalidString("a lone surrogate escape")
                    }
                default:
                    throw .invalidString("unknown escape \\\(escape)")
                }
            default:
                guard scalar.value >= 0x20 else { throw .invalidString("a control character must be escaped") }
                value.append(scalar)
            }
        }
    }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }
}
