/// A separation-of-duties rule (SPEC §10): no enabled user may hold both sides at once.
public struct SeparationRule: Sendable, Equatable, Codable {
    /// One side: holding a role (directly or through a role that includes it), or
    /// holding an entitlement (`CHECK` says `ALLOW`).
    public enum Side: Hashable, Sendable, Codable, CustomStringConvertible {
        case role(String)
        case entitlement(Entitlement)

        /// `role:NAME` or `system:SYSTEM:PERMISSION`.
        public var description: String {
            switch self {
            case .role(let name): "role:\(name)"
            case .entitlement(let entitlement): "system:\(entitlement.system):\(entitlement.permission)"
            }
        }

        /// Parses `role:NAME` or `system:SYSTEM:PERMISSION` (names folded like identifiers).
        public static func parse(_ text: String) throws(WardenError) -> Side {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch (parts.first?.lowercased(), parts.count) {
            case ("role", 2):
                return .role(try Identifier.parse(parts[1], what: "role name"))
            case ("system", 3):
                return .entitlement(Entitlement(system: try Identifier.parse(parts[1], what: "system name"),
                                                permission: try Identifier.parse(parts[2], what: "permission")))
            default:
                throw .invalid("a side is role:NAME or system:SYSTEM:PERMISSION, not \(text)")
            }
        }
    }

    public var name: String
    public var left: Side
    public var right: Side
    public var description: String

    public init(name: String, left: Side, right: Side, description: String = "") {
        self.name = name
        self.left = left
        self.right = right
        self.description = description
    }

    public var sides: [Side] { [left, right] }
}
