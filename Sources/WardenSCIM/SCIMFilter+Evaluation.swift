/// Whether a resource, rendered as JSON, matches a filter (RFC 7644 §3.4.2.2).
///
/// A multi-valued attribute matches when any of its values does (`emails.value`
/// looks at every email; `emails eq "x"` at each email's `value`). Strings compare
/// case-insensitively unless the schema says `caseExact`. `ne` is the negation of `eq`,
/// so an absent attribute is `ne` anything. Values of different types never match.
extension SCIMFilter {
    public func matches(_ resource: JSONValue, schema: SCIMResourceSchema) -> Bool {
        switch self {
        case .and(let left, let right):
            return left.matches(resource, schema: schema) && right.matches(resource, schema: schema)
        case .or(let left, let right):
            return left.matches(resource, schema: schema) || right.matches(resource, schema: schema)
        case .not(let inner):
            return !inner.matches(resource, schema: schema)
        case .present(let path):
            return Self.values(at: path, in: resource, schema: schema).values.contains { !$0.isEmpty }
        case .valuePath(let path, let inner):
            guard schema.isCore(path.schema), let attribute = schema.attribute(path.attribute),
                  let found = resource[path.attribute] else { return false }
            let elements = found.arrayValue ?? [found]
            let valueSchema = schema.values(of: attribute)
            return elements.contains { inner.matches($0, schema: valueSchema) }
        case .compare(let path, let op, let expected):
            let (values, caseExact) = Self.values(at: path, in: resource, schema: schema)
            if op == .ne { return !values.contains { Self.compare($0, .eq, expected, caseExact: caseExact) } }
            if op == .eq, expected == .null { return values.allSatisfy(\.isEmpty) }
            return values.contains { Self.compare($0, op, expected, caseExact: caseExact) }
        }
    }

    /// The values `path` reaches in `resource`, and whether they compare case-exactly.
    static func values(at path: SCIMAttributePath, in resource: JSONValue, schema: SCIMResourceSchema) -> (values: [JSONValue], caseExact: Bool) {
        guard schema.isCore(path.schema) else { return ([], true) }
        let attribute = schema.attribute(path.attribute)
        guard let found = resource[path.attribute] else { return ([], attribute?.caseExact ?? false) }
        let elements = found.arrayValue ?? [found]
        if let sub = path.subAttribute {
            let caseExact = attribute?.subAttribute(sub)?.caseExact ?? false
            return (elements.compactMap { $0[sub] }, caseExact)
        }
        if attribute?.kind == .complex {
            // `emails eq "x"` compares each email's `value`.
            return (elements.compactMap { $0["value"] }, attribute?.subAttribute("value")?.caseExact ?? false)
        }
        return (elements, attribute?.caseExact ?? false)
    }

    static func compare(_ actual: JSONValue, _ op: ComparisonOperator, _ expected: JSONValue, caseExact: Bool) -> Bool {
        switch (actual, expected) {
        case (.string(let a), .string(let e)):
            let left = caseExact ? a : a.lowercased()
            let right = caseExact ? e : e.lowercased()
            switch op {
            case .eq: return left == right
            case .ne: return left != right
            case .co: return left.contains(right)
            case .sw: return left.hasPrefix(right)
            case .ew: return left.hasSuffix(right)
            case .gt: return left > right
            case .ge: return left >= right
            case .lt: return left < right
            case .le: return left <= right
            }
        case (.number(let a), .number(let e)):
            switch op {
            case .eq: return a == e
            case .ne: return a != e
            case .gt: return a > e
            case .ge: return a >= e
            case .lt: return a < e
            case .le: return a <= e
            case .co, .sw, .ew: return false
            }
        case (.bool(let a), .bool(let e)):
            return op == .eq ? a == e : op == .ne ? a != e : false
        case (.string, .bool(let e)):
            // A boolean stored as "True"/"False" text still compares as a boolean.
            guard let a = actual.booleanValue else { return false }
            return op == .eq ? a == e : op == .ne ? a != e : false
        default:
            return false
        }
    }
}
