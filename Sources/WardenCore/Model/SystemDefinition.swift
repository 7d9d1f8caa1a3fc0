/// A system that entitlements name (`payroll`, `github`). When `permissions` is not
/// empty, grants may name only those permissions.
public struct SystemDefinition: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var permissions: Set<String>

    public init(name: String, description: String = "", permissions: Set<String> = []) {
        self.name = name
        self.description = description
        self.permissions = permissions
    }

    public func allows(permission: String) -> Bool {
        permissions.isEmpty || permissions.contains(permission)
    }
}
