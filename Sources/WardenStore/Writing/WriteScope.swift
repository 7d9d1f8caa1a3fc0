/// What a change reads and writes, so that the writer can put changes that do not
/// touch each other into one transaction (group commit) and run the others alone.
///
/// Keys are free-form names such as `user:alice` or `role:eng`. A change validates
/// against the in-memory directory, which is updated only after its batch commits;
/// two changes with a common key therefore never share a batch.
public enum WriteScope: Sendable {
    case keys(Set<String>)
    /// Runs alone in its batch (role and system changes, bootstrap, key rotation).
    case exclusive

    public static func user(_ names: String...) -> WriteScope { .keys(Set(names.map { "user:" + $0 })) }
}

/// The result of a change and how to apply it to memory once it is committed.
public struct Committed<Value: Sendable>: Sendable {
    public var value: Value
    /// Runs on the writer thread after COMMIT and before the reply is released.
    public var apply: (@Sendable () -> Void)?

    public init(_ value: Value, apply: (@Sendable () -> Void)? = nil) {
        self.value = value
        self.apply = apply
    }
}
