/// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes a
/// response carries. `schemas`, `id` and attributes returned `always` stay whatever
/// was asked; names match case-insensitively, with or without the schema's URN.
public struct SCIMAttributeSelection: Sendable, Equatable {
    public var attributes: [SCIMAttributePath]?
    public var excluded: [SCIMAttributePath]

    public init(attributes: [SCIMAttributePath]? = nil, excluded: [SCIMAttributePath] = []) {
        self.attributes = attributes
        self.excluded = excluded
    }

    /// From the query parameters' comma-separated lists.
    public init(attributes: String?, excludedAttributes: String?) throws(SCIMFilterError) {
        func paths(_ text: String) throws(SCIMFilterError) -> [SCIMAttributePath] {
            var result: [SCIMAttributePath] = []
            for item in text.split(separator: ",") {
                let trimmed = item.trimmingSpaces
                if !trimmed.isEmpty { result.append(try SCIMAttributePath.parse(trimmed)) }
            }
            return result
        }
        self.attributes = try attributes.map(paths).flatMap { $0.isEmpty ? nil : $0 }
        self.excluded = try excludedAttributes.map(paths) ?? []
    }

    public func apply(to resource: [String: JSONValue], schema: SCIMResourceSchema) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in resource {
            let attribute = schema.attribute(key)
            if key == "schemas" || attribute?.returned == .always {
                result[key] = value
                continue
            }
            let named = { (paths: [SCIMAttributePath]) in
                paths.filter { schema.isCore($0.schema) && $0.attribute.lowercased() == key.lowercased() }
            }
            if let attributes {
                let wanted = named(attributes)
                guard !wanted.isEmpty else { continue }
                if wanted.contains(where: { $0.subAttribute == nil }) {
                    result[key] = value
                } else {
                    result[key] = Self.keeping(Set(wanted.compactMap { $0.subAttribute?.lowercased() }), of: value)
                }
            } else {
                result[key] = value
            }
            let dropped = named(excluded)
            if dropped.contains(where: { $0.subAttribute == nil }) {
                result[key] = nil
            } else if !dropped.isEmpty, let kept = result[key] {
                result[key] = Self.dropping(Set(dropped.compactMap { $0.subAttribute?.lowercased() }), of: kept)
            }
        }
        return result
    }

    private static func keeping(_ subs: Set<String>, of value: JSONValue) -> JSONValue {
        map(value) { members in members.filter { subs.contains($0.key.lowercased()) } }
    }

    private static func dropping(_ subs: Set<String>, of value: JSONValue) -> JSONValue {
        map(value) { members in members.filter { !subs.contains($0.key.lowercased()) } }
    }

    private static func map(_ value: JSONValue, _ body: ([String: JSONValue]) -> [String: JSONValue]) -> JSONValue {
        switch value {
        case .object(let members): .object(body(members))
        case .array(let items): .array(items.map { $0.objectValue.map { .object(body($0)) } ?? $0 })
        default: value
        }
    }
}
