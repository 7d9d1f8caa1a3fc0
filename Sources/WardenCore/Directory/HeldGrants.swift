/// A grant as the directory keeps it: what it gives, by number in the `TargetTable`,
/// and until when. 16 bytes, against ~100 for a `Grant` keyed by its target.
///
/// A grant's reason, granter and time stay in SQLite: no answer from memory uses them.
struct PackedGrant: Sendable, Equatable {
    var target: UInt32
    /// Milliseconds; `PackedGrant.forever` for a grant without an end.
    var until: Int64

    static let forever = Int64.max

    init(target: UInt32, until: Timestamp?) {
        self.target = target
        self.until = until?.milliseconds ?? PackedGrant.forever
    }

    var expiry: Timestamp? { until == PackedGrant.forever ? nil : Timestamp(milliseconds: until) }

    func isLive(at now: Timestamp) -> Bool { now.milliseconds < until }
}

/// One grant a user holds, as the directory answers it.
public struct HeldGrant: Sendable, Equatable {
    public var target: GrantTarget
    /// The grant stops counting at this instant; `nil` is forever.
    public var until: Timestamp?

    public func isLive(at now: Timestamp) -> Bool {
        guard let until else { return true }
        return now < until
    }
}

/// A user's grants (`directory.grants[user]`), in the order they were given.
public struct HeldGrants: Sequence, Sendable {
    let packed: ContiguousArray<PackedGrant>
    let targets: TargetTable

    public var count: Int { packed.count }
    public var isEmpty: Bool { packed.isEmpty }

    /// The grant of `target`, if the user holds one.
    public subscript(target: GrantTarget) -> HeldGrant? {
        guard let id = targets.id(of: target), let grant = packed.first(where: { $0.target == id }) else { return nil }
        return HeldGrant(target: target, until: grant.expiry)
    }

    public func makeIterator() -> Iterator {
        Iterator(packed: packed.makeIterator(), targets: targets)
    }

    public struct Iterator: IteratorProtocol {
        var packed: ContiguousArray<PackedGrant>.Iterator
        let targets: TargetTable

        public mutating func next() -> HeldGrant? {
            packed.next().map { HeldGrant(target: targets[$0.target], until: $0.expiry) }
        }
    }
}

extension Directory {
    /// Every user's grants by username: `directory.grants[user]` is `nil` for an unknown user.
    public struct Grants: Sendable {
        let entries: ContiguousArray<Entry>
        let slots: [String: Int32]
        let targets: TargetTable

        public subscript(user: String) -> HeldGrants? {
            slots[user].map { HeldGrants(packed: entries[Int($0)].grants, targets: targets) }
        }
    }

    /// Usernames by user id: `directory.userNamesByID[id]`.
    public struct UserNames: Sendable {
        let entries: ContiguousArray<Entry>
        let slotsByID: [Int64: Int32]

        public subscript(id: Int64) -> String? {
            slotsByID[id].map { entries[Int($0)].user.name }
        }
    }

    /// Every user by name: `directory.users[name]`.
    public struct Users: Sendable {
        let entries: ContiguousArray<Entry>
        let slots: [String: Int32]

        public subscript(name: String) -> User? {
            slots[name].map { entries[Int($0)].user }
        }

        public var count: Int { entries.count }
        public var isEmpty: Bool { entries.isEmpty }
        /// Every user, in no particular order.
        public var values: some Collection<User> { entries.lazy.map(\.user) }
    }
}
