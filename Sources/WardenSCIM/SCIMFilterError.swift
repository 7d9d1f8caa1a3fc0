/// Why a filter or a PATCH path was refused: each is answered `400` with
/// `scimType` `invalidFilter` (a filter) or `invalidPath` (a PATCH path), RFC 7644 §3.12.
public enum SCIMFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(limit: Int)
    case tooDeep(limit: Int)
    case unexpectedEnd(expected: String)
    case unexpected(token: String, expected: String)
    case unterminatedString
    case invalidString(String)
    case invalidNumber(String)
    case invalidPath(String)
    case unknownOperator(String)
    /// An operator that cannot take this value (`gt true`, `co 5`).
    case operatorValue(op: String, value: String)
    case nestedValueFilter

    public var description: String {
        switch self {
        case .empty: "the filter is empty"
        case .tooLong(let limit): "the filter is longer than \(limit) bytes"
        case .tooDeep(let limit): "the filter nests deeper than \(limit) levels"
        case .unexpectedEnd(let expected): "the filter ends where \(expected) was expected"
        case .unexpected(let token, let expected): "unexpected \(token.debugDescription) where \(expected) was expected"
        case .unterminatedString: "a string is not terminated"
        case .invalidString(let why): "a string is not valid JSON: \(why)"
        case .invalidNumber(let text): "\(text.debugDescription) is not a JSON number"
        case .invalidPath(let text): "\(text.debugDescription) is not an attribute path"
        case .unknownOperator(let text): "\(text.debugDescription) is not an operator (eq ne co sw ew gt ge lt le pr)"
        case .operatorValue(let op, let value): "\(op) cannot compare with \(value)"
        case .nestedValueFilter: "a value filter cannot hold another value filter"
        }
    }
}
