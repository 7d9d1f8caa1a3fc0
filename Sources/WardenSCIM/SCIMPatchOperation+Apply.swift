/// Applying an operation to a resource rendered as JSON (RFC 7644 §3.5.2), in the
/// forms identity providers send:
///
/// - no path: `value` is an object whose members are each added or replaced (a member
///   may be a dotted path, `"name.formatted"`, or a schema URN holding an object);
/// - `add` appends to a multi-valued attribute (skipping values already there), merges
///   into a complex one, sets a simple one; `replace` sets (merging into a singular
///   complex attribute);
/// - `remove` of a multi-valued attribute with a `value` removes those values (Entra ID's
///   `"path":"members","value":[{"value":"ID"}]`), without a value the attribute;
/// - a value filter (`emails[type eq "work"].value`) that matches nothing, for `add` or
///   `replace`, creates the value when the filter is `eq` comparisons joined by `and`
///   (`{"type":"work","value":…}`); otherwise it is `noTarget`.
///
/// Attribute names match case-insensitively. A change to `id`, `meta` or another read-only
/// attribute is a `mutability` error (a `replace` with the value it has is no change).
extension SCIMPatchOperation {
    public func apply(to resource: inout [String: JSONValue], schema: SCIMResourceSchema) throws(SCIMPatchError) {
        guard let path else {
            guard case .object(let members) = value else {
                throw SCIMPatchError(.invalidValue, "\(op.rawValue) without a path needs an object value")
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if key.lowercased() == "schemas" { continue }
                if key.lowercased().hasPrefix("urn:"), case .object(let inner) = member {
                    if schema.isCore(key) {
                        try SCIMPatchOperation(op: op, value: .object(inner)).apply(to: &resource, schema: schema)
                    } else {
                        // An extension's attributes, kept under its URN.
                        var container = resource[key]?.objectValue ?? [:]
                        for (name, item) in inner { Self.merge(&container, name, item) }
                        resource[key] = .object(container)
                    }
                    continue
                }
                let target: SCIMAttributePath
                do { target = try SCIMAttributePath.parse(Substring(key)) } catch {
                    throw SCIMPatchError(.invalidPath, error.description)
                }
                try SCIMPatchOperation(op: op, path: SCIMPatchPath(path: target), value: member).apply(to: &resource, schema: schema)
            }
            return
        }
        if !schema.isCore(path.path.schema) {
            // An extension's attribute: kept under its URN as given.
            let urn = path.path.schema ?? ""
            var container = resource[urn]?.objectValue ?? [:]
            let inner = SCIMResourceSchema(id: urn, name: urn, description: "", attributes: [])
            let local = SCIMPatchPath(path: SCIMAttributePath(attribute: path.path.attribute, subAttribute: path.path.subAttribute),
                                      valueFilter: path.valueFilter, filteredSubAttribute: path.filteredSubAttribute)
            try SCIMPatchOperation(op: op, path: local, value: value).apply(to: &container, schema: inner)
            resource[urn] = .object(container)
            return
        }
        let attribute = schema.attribute(path.path.attribute)
        let key = Self.key(for: path.path.attribute, in: resource, attribute: attribute)
        if let attribute, attribute.mutability == .readOnly {
            // Okta's group PATCH repeats the `id` beside what it changes: the same value is no change.
            if op == .replace, path.valueFilter == nil, path.path.subAttribute == nil, resource[key] == value { return }
            throw SCIMPatchError(.mutability, "\(attribute.name) is read-only")
        }
        if let filter = path.valueFilter {
            try applyFiltered(filter, sub: path.filteredSubAttribute, key: key, attribute: attribute, to: &resource, schema: schema)
        } else if let sub = path.path.subAttribute {
            applySub(sub, key: key, attribute: attribute, to: &resource)
        } else {
            applyWhole(key: key, attribute: attribute, to: &resource)
        }
    }

    /// The key `name` is stored under: an existing key in any case, else the schema's spelling.
    static func key(for name: String, in resource: [String: JSONValue], attribute: SCIMAttribute?) -> String {
        let folded = name.lowercased()
        return resource.keys.first { $0.lowercased() == folded } ?? attribute?.name ?? name
    }

    private func applyWhole(key: String, attribute: SCIMAttribute?, to resource: inout [String: JSONValue]) {
        let existing = resource[key]
        let multiValued = attribute?.multiValued ?? (existing?.arrayValue != nil)
        switch op {
        case .remove:
            if multiValued, let value, var items = existing?.arrayValue {
                let removing = value.arrayValue ?? [value]
                items.removeAll { item in removing.contains { Self.sameValue(item, $0) } }
                resource[key] = items.isEmpty ? nil : .array(items)
            } else {
                resource[key] = nil
            }
        case .add, .replace:
            guard let value else { return }
            if multiValued {
                let adding = value.arrayValue ?? [value]
                var items = op == .add ? existing?.arrayValue ?? [] : []
                for item in adding where !items.contains(where: { Self.sameValue($0, item) }) { items.append(item) }
                resource[key] = .array(items)
            } else if case .object(var members) = existing, case .object(let adding) = value {
                for (name, item) in adding { Self.merge(&members, name, item) }
                resource[key] = .object(members)
            } else {
                resource[key] = value
            }
        }
    }

    private func applySub(_ sub: String, key: String, attribute: SCIMAttribute?, to resource: inout [String: JSONValue]) {
        let subKey = attribute?.subAttribute(sub)?.name ?? sub
        if var items = resource[key]?.arrayValue {
            // A sub-attribute of every value of a multi-valued attribute.
            for index in items.indices {
                guard case .object(var members) = items[index] else { continue }
                Self.set(&members, subKey, op == .remove ? nil : value)
                items[index] = .object(members)
            }
            if items.isEmpty, op != .remove, let value { items = [.object([subKey: value])] }
            resource[key] = .array(items)
            return
        }
        var members = resource[key]?.objectValue ?? [:]
        Self.set(&members, subKey, op == .remove ? nil : value)
        resource[key] = members.isEmpty ? nil : .object(members)
    }

    private func applyFiltered(
        _ filter: SCIMFilter, sub: String?, key: String, attribute: SCIMAttribute?,
        to resource: inout [String: JSONValue], schema: SCIMResourceSchema
    ) throws(SCIMPatchError) {
        var items = resource[key]?.arrayValue ?? []
        let valueSchema = attribute.map { schema.values(of: $0) }
            ?? SCIMResourceSchema(id: schema.id, name: key, description: "", attributes: [])
        var matched = items.indices.filter { filter.matches(items[$0], schema: valueSchema) }
        let subKey = sub.map { attribute?.subAttribute($0)?.name ?? $0 }
        switch op {
        case .remove:
            if let subKey {
                for index in matched {
                    guard case .object(var members) = items[index] else { continue }
                    members[subKey] = nil
                    items[index] = .object(members)
                }
            } else {
                for index in matched.reversed() { items.remove(at: index) }
            }
        case .add, .replace:
            guard let value else { return }
            if matched.isEmpty {
                guard let seed = Self.seed(from: filter) else {
                    throw SCIMPatchError(.noTarget, "no value of \(key) matches the filter")
                }
                items.append(.object(seed))
                matched = [items.count - 1]
            }
            for index in matched {
                var members = items[index].objectValue ?? [:]
                if let subKey {
                    Self.set(&members, subKey, value)
                } else if case .object(let adding) = value {
                    for (name, item) in adding { Self.merge(&members, name, item) }
                } else {
                    throw SCIMPatchError(.invalidValue, "a value of \(key) must be an object")
                }
                items[index] = .object(members)
            }
        }
        resource[key] = items.isEmpty ? nil : .array(items)
    }

    /// The value a filter of `eq` comparisons joined by `and` describes, or nil.
    static func seed(from filter: SCIMFilter) -> [String: JSONValue]? {
        switch filter {
        case .compare(let path, .eq, let value) where path.subAttribute == nil && path.schema == nil:
            return [path.attribute: value]
        case .and(let left, let right):
            guard let a = seed(from: left), let b = seed(from: right) else { return nil }
            return a.merging(b) { first, _ in first }
        default:
            return nil
        }
    }

    /// Two values of a multi-valued attribute are the same value when both are objects
    /// with the same `value` (members of a group), or when they are equal.
    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let left = a["value"], let right = b["value"] { return left == right }
        return a == b
    }

    /// Sets `name` (matched case-insensitively) to `value`, or removes it when nil.
    static func set(_ members: inout [String: JSONValue], _ name: String, _ value: JSONValue?) {
        let existing = members.keys.first { $0.lowercased() == name.lowercased() }
        if let existing { members[existing] = nil }
        members[existing ?? name] = value
    }

    static func merge(_ members: inout [String: JSONValue], _ name: String, _ value: JSONValue) {
        set(&members, name, value)
    }
}
