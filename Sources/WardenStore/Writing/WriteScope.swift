/// What a change writes and what it reads, so that the writer can put changes that
/// do not touch each other into one transaction (group commit) and run the others apart.
///
/// Keys are free-form names such as `user:alice` or `role:eng`. A change decides
/// against the in-memory directory, which is updated only after its batch commits.
/// So a batch ends before a change that writes a key an earlier change of the batch
/// wrote, or that *reads* one: a `GRANT` by admin A reads `user:A` (A's rights), and
/// must not be decided on rights that a `REVOKE` earlier in the same batch took away.
public enum WriteScope: Sendable {
    case keys(Set<String>, reads: Set<String> = [])
    /// Runs alone in its batch (role and system changes, bootstrap, key rotation).
    case exclusive

    public static func user(_ names: String...) -> WriteScope { .keys(Set(names.map { "user:" + $0 })) }

    /// The key of a user's record and rights, as `user(_:)` writes it.
    public static func userKey(_ name: String) -> String { "user:" + name }

    /// The same scope, also reading `keys` (nothing changes for `exclusive`).
    public func reading(_ keys: Set<String>) -> WriteScope {
        switch self {
        case .exclusive: .exclusive
        case .keys(let writes, let reads): .keys(writes, reads: reads.union(keys))
        }
    }
}

/// Which changes a full disk still lets through (see `DiskReserve`).
public enum WritePriority: Sendable {
    case ordinary
    /// Takes access away (disable, delete, revoke, a password reset), or is the login
    /// of a user who holds `warden` permissions, who would make such a change.
    case offboarding
}

/// The value a job answers with once its batch is committed. (What it changed goes to
/// memory through the reducer: `Transaction.write` records it.)
public struct Committed<Value: Sendable>: Sendable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }
}
