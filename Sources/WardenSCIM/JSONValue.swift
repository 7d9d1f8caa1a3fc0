/// A JSON value as SCIM carries it (RFC 7159): what a request body, a filter's
/// comparison value and a PATCH operation's `value` are read into, and what a
/// resource is rendered as before it is written out.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value of `key` in an object, found case-insensitively (SCIM attribute
    /// names are case-insensitive, RFC 7643 §2.1), with the key as stored.
    public func member(_ key: String) -> (key: String, value: JSONValue)? {
        guard case .object(let members) = self else { return nil }
        if let value = members[key] { return (key, value) }
        let folded = key.lowercased()
        return members.first { $0.key.lowercased() == folded }.map { ($0.key, $0.value) }
    }

    public subscript(key: String) -> JSONValue? { member(key)?.value }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A boolean, also from the strings `"True"`/`"False"` in any case, as Entra ID sends them.
    public var booleanValue: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Absent for SCIM's purposes (RFC 7644 §3.4.2.2 `pr`): null, an empty string or an empty array.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .string(let text): text.isEmpty
        case .array(let items): items.isEmpty
        case .object(let members): members.isEmpty
        default: false
        }
    }
}
