/// One attribute of a resource schema (RFC 7643 §7), as Warden supports it: what
/// `/Schemas` publishes, and what filters (`caseExact`) and PATCH (`multiValued`,
/// `mutability`) go by.
public struct SCIMAttribute: Sendable {
    public enum Kind: String, Sendable { case string, boolean, complex, reference, dateTime, integer }
    public enum Mutability: String, Sendable { case readOnly, readWrite, immutable, writeOnly }
    public enum Returned: String, Sendable { case always, never, `default`, request }
    public enum Uniqueness: String, Sendable { case none, server, global }

    public var name: String
    public var kind: Kind
    public var multiValued = false
    public var required = false
    public var caseExact = false
    public var mutability = Mutability.readWrite
    public var returned = Returned.default
    public var uniqueness = Uniqueness.none
    public var canonicalValues: [String] = []
    public var referenceTypes: [String] = []
    public var subAttributes: [SCIMAttribute] = []
    public var description: String
    /// A common attribute (RFC 7643 §3.1: `id`, `externalId`, `meta`), known to every
    /// resource and not listed in `/Schemas`.
    public var isCommon = false

    public init(
        _ name: String, _ kind: Kind, multiValued: Bool = false, required: Bool = false, caseExact: Bool = false,
        mutability: Mutability = .readWrite, returned: Returned = .default, uniqueness: Uniqueness = .none,
        canonicalValues: [String] = [], referenceTypes: [String] = [], subAttributes: [SCIMAttribute] = [],
        description: String, isCommon: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.multiValued = multiValued
        self.required = required
        self.caseExact = caseExact
        self.mutability = mutability
        self.returned = returned
        self.uniqueness = uniqueness
        self.canonicalValues = canonicalValues
        self.referenceTypes = referenceTypes
        self.subAttributes = subAttributes
        self.description = description
        self.isCommon = isCommon
    }

    public func subAttribute(_ name: String) -> SCIMAttribute? {
        let folded = name.lowercased()
        return subAttributes.first { $0.name.lowercased() == folded }
    }

    /// The attribute as RFC 7643 §7 describes it in a `/Schemas` resource.
    public var definition: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "type": .string(kind.rawValue), "multiValued": .bool(multiValued),
            "description": .string(description), "required": .bool(required), "caseExact": .bool(caseExact),
            "mutability": .string(mutability.rawValue), "returned": .string(returned.rawValue),
            "uniqueness": .string(uniqueness.rawValue),
        ]
        if !canonicalValues.isEmpty { members["canonicalValues"] = .array(canonicalValues.map(JSONValue.string)) }
        if !referenceTypes.isEmpty { members["referenceTypes"] = .array(referenceTypes.map(JSONValue.string)) }
        if kind == .complex { members["subAttributes"] = .array(subAttributes.map(\.definition)) }
        return .object(members)
    }
}
