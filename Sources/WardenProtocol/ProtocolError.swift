/// Why a line could not be read as words. The server answers each with `ERR SYNTAX`
/// (or `ERR TOO-LONG`) and the message below; none of them echoes the input.
public enum ProtocolError: Error, Equatable, Sendable {
    case invalidUTF8
    case controlCharacter
    case unterminatedQuote
    case invalidEscape
    case misplacedQuote
    case lineTooLong

    /// `TOO-LONG` for an over-long line, `SYNTAX` for the rest.
    public var code: ErrorCode { self == .lineTooLong ? .tooLong : .syntax }

    public var message: String {
        switch self {
        case .invalidUTF8: "line is not valid UTF-8"
        case .controlCharacter: "control character outside quotes (use \\t or \\n inside a quoted word)"
        case .unterminatedQuote: "unterminated quoted word"
        case .invalidEscape: "unknown escape in quoted word (allowed: \\\" \\\\ \\n \\t)"
        case .misplacedQuote: "a quote may only open a word or a key=value value, and must end it"
        case .lineTooLong: "line longer than 16384 bytes"
        }
    }
}
