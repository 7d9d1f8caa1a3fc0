import WardenCore

/// A filter written back as text that parses to the same filter: every `and`, `or` and
/// `not` in parentheses, strings as JSON strings. For logs and the fuzzer's round trip.
extension SCIMFilter: CustomStringConvertible {
    public var description: String {
        switch self {
        case .compare(let path, let op, let value): "\(path) \(op.rawValue) \(Self.literal(value))"
        case .present(let path): "\(path) pr"
        case .valuePath(let path, let inner): "\(path)[\(inner)]"
        case .not(let inner): "not (\(inner))"
        case .and(let left, let right): "(\(left) and \(right))"
        case .or(let left, let right): "(\(left) or \(right))"
        }
    }

    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .string(let text): return JSONText.quote(text)
        case .array, .object: return "null"
        }
    }
}
