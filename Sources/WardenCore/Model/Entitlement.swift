/// One permission on one system: the unit that `CHECK` asks about.
public struct Entitlement: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var system: String
    public var permission: String

    public init(system: String, permission: String) {
        self.system = system
        self.permission = permission
    }

    public static func < (lhs: Entitlement, rhs: Entitlement) -> Bool {
        (lhs.system, lhs.permission) < (rhs.system, rhs.permission)
    }

    public var description: String { "\(system) \(permission)" }
}
