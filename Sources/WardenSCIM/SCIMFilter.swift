/// A parsed SCIM filter (RFC 7644 §3.4.2.2): what `GET …?filter=` and a PATCH
/// path's value selection (`emails[type eq "work"]`) say, as a tree.
public indirect enum SCIMFilter: Sendable, Equatable, Hashable {
    public enum ComparisonOperator: String, Sendable, CaseIterable {
        case eq, ne, co, sw, ew, gt, ge, lt, le
    }

    /// `attrPath op value`.
    case compare(SCIMAttributePath, ComparisonOperator, JSONValue)
    /// `attrPath pr`.
    case present(SCIMAttributePath)
    /// `attrPath "[" valFilter "]"`: some value of a multi-valued attribute matches.
    case valuePath(SCIMAttributePath, SCIMFilter)
    case not(SCIMFilter)
    case and(SCIMFilter, SCIMFilter)
    case or(SCIMFilter, SCIMFilter)

    /// Parses a filter; throws what is wrong with it.
    public static func parse(_ text: String) throws(SCIMFilterError) -> SCIMFilter {
        var parser = try SCIMFilterParser(text)
        return try parser.parseWhole()
    }
}
