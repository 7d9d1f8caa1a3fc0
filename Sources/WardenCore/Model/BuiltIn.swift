/// Warden governs itself with its own model (SPEC §2.6): the built-in system
/// `warden`, its permissions, and the role `warden-admin` that holds them all.
public enum BuiltIn {
    public static let system = "warden"
    public static let adminRole = "warden-admin"
    public static let adminUser = "admin"
    /// `AUTH TOKEN …` names no user, so no user may be called `token`.
    public static let reservedUsernames: Set<String> = ["token"]

    public enum Permission: String, Sendable, CaseIterable {
        case userAdmin = "user-admin"
        case roleAdmin = "role-admin"
        case grant
        case check
        case tokenIssue = "token-issue"
        case introspect
        case audit
        case keyAdmin = "key-admin"
        /// v2: access reviews (SPEC §9); schema 0007 (postgres 0004) adds it to old databases.
        case review
    }

    public static var permissionNames: Set<String> { Set(Permission.allCases.map(\.rawValue)) }
}
