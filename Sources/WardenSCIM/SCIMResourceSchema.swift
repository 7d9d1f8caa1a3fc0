/// A resource's core schema (RFC 7643 §2.2) with the attributes Warden keeps.
public struct SCIMResourceSchema: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var attributes: [SCIMAttribute]

    public init(id: String, name: String, description: String, attributes: [SCIMAttribute]) {
        self.id = id
        self.name = name
        self.description = description
        self.attributes = attributes
    }

    public func attribute(_ name: String) -> SCIMAttribute? {
        let folded = name.lowercased()
        return attributes.first { $0.name.lowercased() == folded }
    }

    /// Whether `schema` (a path's URN prefix) names this schema; nil names it too.
    public func isCore(_ schema: String?) -> Bool {
        schema.map { $0.lowercased() == id.lowercased() } ?? true
    }

    /// A schema whose attributes are `attribute`'s sub-attributes: what a value filter
    /// (`emails[type eq "work"]`) is evaluated against, one value at a time.
    func values(of attribute: SCIMAttribute) -> SCIMResourceSchema {
        SCIMResourceSchema(id: id, name: attribute.name, description: "", attributes: attribute.subAttributes)
    }

    /// The `/Schemas` resource (RFC 7643 §7); common attributes are not listed.
    public func definition(location: String) -> JSONValue {
        .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
            "id": .string(id), "name": .string(name), "description": .string(description),
            "attributes": .array(attributes.filter { !$0.isCommon }.map(\.definition)),
            "meta": .object(["resourceType": .string("Schema"), "location": .string(location)]),
        ])
    }
}
