/// A PATCH operation's `path` (RFC 7644 §3.5.2, `PATH = attrPath / valuePath [subAttr]`):
/// `userName`, `name.formatted`, `emails[type eq "work"]`, `emails[type eq "work"].value`,
/// `members[value eq "2819c223"]`, each optionally prefixed with a schema URN.
public struct SCIMPatchPath: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The attribute (and, without a value filter, its sub-attribute).
    public var path: SCIMAttributePath
    /// Which values of a multi-valued attribute the operation applies to.
    public var valueFilter: SCIMFilter?
    /// The sub-attribute after a value filter (`emails[…].value`).
    public var filteredSubAttribute: String?

    public init(path: SCIMAttributePath, valueFilter: SCIMFilter? = nil, filteredSubAttribute: String? = nil) {
        self.path = path
        self.valueFilter = valueFilter
        self.filteredSubAttribute = filteredSubAttribute
    }

    public var description: String {
        path.description + (valueFilter.map { _ in "[…]" } ?? "") + (filteredSubAttribute.map { "." + $0 } ?? "")
    }

    /// The sub-attribute the operation targets, with or without a value filter.
    public var subAttribute: String? { filteredSubAttribute ?? path.subAttribute }

    public static func parse(_ text: String) throws(SCIMFilterError) -> SCIMPatchPath {
        guard text.utf8.count <= SCIMFilterParser.maximumLength else { throw .tooLong(limit: SCIMFilterParser.maximumLength) }
        let trimmed = Substring(text).trimmingSpaces
        guard !trimmed.isEmpty else { throw .empty }
        guard let open = trimmed.firstIndex(of: "[") else {
            return SCIMPatchPath(path: try SCIMAttributePath.parse(trimmed))
        }
        // After the filter's `]` only `.subAttr` may follow, so the last `]` closes it
        // even when a string inside the filter holds one.
        guard let close = trimmed.lastIndex(of: "]"), close > open else { throw .unexpectedEnd(expected: "]") }
        let path = try SCIMAttributePath.parse(trimmed[..<open])
        guard path.subAttribute == nil else { throw .invalidPath(String(trimmed)) }
        var parser = try SCIMFilterParser(String(trimmed[trimmed.index(after: open)..<close]))
        let filter = try parser.parseValueFilter()
        guard parser.isAtEnd else { throw .invalidPath(String(trimmed)) }
        let rest = trimmed[trimmed.index(after: close)...]
        var sub: String?
        if !rest.isEmpty {
            guard rest.first == ".", SCIMAttributePath.isAttributeName(rest.dropFirst()) else { throw .invalidPath(String(trimmed)) }
            sub = String(rest.dropFirst())
        }
        return SCIMPatchPath(path: path, valueFilter: filter, filteredSubAttribute: sub)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
