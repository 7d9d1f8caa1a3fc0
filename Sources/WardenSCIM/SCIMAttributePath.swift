/// An attribute path of a filter or a PATCH path (RFC 7644 §3.10 `attrPath`):
/// `[URI ":"] ATTRNAME ["." subAttr]`, e.g. `userName`, `name.formatted`,
/// `urn:ietf:params:scim:schemas:core:2.0:User:userName`.
public struct SCIMAttributePath: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The schema URN the path was prefixed with, as written (nil without one).
    public var schema: String?
    public var attribute: String
    public var subAttribute: String?

    public init(schema: String? = nil, attribute: String, subAttribute: String? = nil) {
        self.schema = schema
        self.attribute = attribute
        self.subAttribute = subAttribute
    }

    public var description: String {
        (schema.map { $0 + ":" } ?? "") + attribute + (subAttribute.map { "." + $0 } ?? "")
    }

    /// Parses one path word. A URN prefix ends at the last `:` (a URN may hold dots:
    /// `…:core:2.0:User`); the rest is `ATTRNAME` and at most one `.subAttr`.
    public static func parse(_ text: Substring) throws(SCIMFilterError) -> SCIMAttributePath {
        var schema: String?
        var rest = text
        if text.lowercased().hasPrefix("urn:") {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidPath(String(text)) }
            schema = String(text[..<colon])
            rest = text[text.index(after: colon)...]
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy(isAttributeName) else { throw .invalidPath(String(text)) }
        return SCIMAttributePath(schema: schema, attribute: String(parts[0]), subAttribute: parts.count == 2 ? String(parts[1]) : nil)
    }

    /// `ATTRNAME = ALPHA *(nameChar)`, `nameChar = "-" / "_" / DIGIT / ALPHA`; `$ref` too (RFC 7643 §2.1).
    static func isAttributeName(_ name: Substring) -> Bool {
        if name == "$ref" { return true }
        guard let first = name.unicodeScalars.first, first.isASCIILetter, name.utf8.count <= 256 else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
