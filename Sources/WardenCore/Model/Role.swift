/// A named bundle of entitlements that may include other roles.
public struct Role: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var entitlements: Set<Entitlement>
    /// Roles whose entitlements this role also carries (transitively).
    public var includes: Set<String>

    public init(name: String, description: String = "", entitlements: Set<Entitlement> = [], includes: Set<String> = []) {
        self.name = name
        self.description = description
        self.entitlements = entitlements
        self.includes = includes
    }
}
