/// Every grant target (role or entitlement) the directory has seen, numbered, so
/// that a million users' grants hold a 4-byte number instead of one to three strings,
/// and a check compares numbers instead of hashing names.
///
/// Numbers are never reused or taken back: a role deleted and added again keeps its
/// number. The table grows with the distinct roles and entitlements ever named, not
/// with users or grants.
struct TargetTable: Sendable {
    private var ids: [GrantTarget: UInt32] = [:]
    private(set) var targets: ContiguousArray<GrantTarget> = []
    /// For a role: the numbers of the entitlements it gives (its closure). Empty for an
    /// entitlement, and for a role that gives nothing or no longer exists.
    private var gives: ContiguousArray<Set<UInt32>> = []
    /// How many users hold a grant of each target (live or expired, enabled or not).
    private var holders: ContiguousArray<Int> = []

    func id(of target: GrantTarget) -> UInt32? { ids[target] }

    subscript(id: UInt32) -> GrantTarget { targets[Int(id)] }

    /// The number of `target`, adding it when new.
    mutating func intern(_ target: GrantTarget) -> UInt32 {
        if let id = ids[target] { return id }
        let id = UInt32(targets.count)
        ids[target] = id
        targets.append(target)
        gives.append([])
        holders.append(0)
        return id
    }

    /// Whether a grant of target `id` gives entitlement `wanted` through a role.
    func role(_ id: UInt32, gives wanted: UInt32) -> Bool {
        gives[Int(id)].contains(wanted)
    }

    /// Sets the closure of `role` (after a change to it or to a role it includes);
    /// empty for a role that no longer exists.
    mutating func setClosure(of role: String, _ entitlements: Set<Entitlement>) {
        let roleID = intern(.role(role))
        var numbers = Set<UInt32>(minimumCapacity: entitlements.count)
        for entitlement in entitlements { numbers.insert(intern(.entitlement(entitlement))) }
        gives[Int(roleID)] = numbers
    }

    func holderCount(_ id: UInt32) -> Int { holders[Int(id)] }

    mutating func addHolder(_ id: UInt32) { holders[Int(id)] += 1 }
    mutating func removeHolder(_ id: UInt32) { holders[Int(id)] -= 1 }

    /// Targets that at least one user holds a grant of.
    var held: some Sequence<GrantTarget> {
        zip(targets, holders).lazy.filter { $0.1 > 0 }.map(\.0)
    }
}
