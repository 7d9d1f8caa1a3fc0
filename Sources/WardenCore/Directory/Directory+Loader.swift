extension Directory {
    /// Fills an empty directory at start: roles, then users in ascending id (the table's
    /// order), then grants by user id (`GrantRows`, which may be read on another thread
    /// meanwhile). A grant finds its user by position, not by hashing: the grants table
    /// is mostly in user order, so the next user is usually the next entry.
    public struct Loader {
        public private(set) var directory = Directory()
        /// User ids in the order added, which is the order of `Directory.entries`.
        private var ids: ContiguousArray<Int64> = []
        private var ascending = true
        private var cursor = 0

        public init(users: Int) {
            directory.reserveCapacity(users: users)
            ids.reserveCapacity(users)
        }

        public mutating func add(_ user: User) {
            if let last = ids.last, user.id <= last { ascending = false }
            directory.upsert(user)
            ids.append(user.id)
        }

        private mutating func slot(of id: Int64) -> Int? {
            if cursor < ids.count, ids[cursor] == id { return cursor }
            if cursor + 1 < ids.count, ids[cursor + 1] == id {
                cursor += 1
                return cursor
            }
            guard ascending else { return directory.slot(id: id) }
            var low = 0, high = ids.count
            while low < high {
                let middle = (low + high) / 2
                if ids[middle] < id { low = middle + 1 } else { high = middle }
            }
            guard low < ids.count, ids[low] == id else { return nil }
            cursor = low
            return low
        }

        /// An empty set of grant rows numbered against this directory's targets, to fill
        /// apart (on another thread, while the users load) and hand to `adopt`.
        public func grantRows() -> GrantRows { GrantRows(targets: directory.targets) }

        /// Gives every user the grants of `rows`. Nothing may have numbered a new target
        /// since `grantRows` (users do not; grants and roles do).
        public mutating func adopt(_ rows: consuming GrantRows) {
            directory.targets = rows.targets
            var start = 0
            let all = rows.rows
            while start < all.count {
                let userID = all[start].userID
                var end = start + 1
                while end < all.count, all[end].userID == userID { end += 1 }
                if let slot = slot(of: userID) { directory.append(all[start..<end].lazy.map(\.grant), slot: slot) }
                start = end
            }
        }

        /// The directory, ready; call once, after the roles are in (`replaceRoles`).
        public mutating func finish() -> Directory {
            // Hand the tables over rather than share them: a shared table would be
            // copied whole at the first change.
            let finished = directory
            directory = Directory()
            ids = []
            return finished
        }

        /// Roles, loaded before the grants so that their targets are numbered first.
        public mutating func replaceRoles(_ all: [Role]) { directory.replaceRoles(all) }
        public mutating func upsert(_ system: SystemDefinition) { directory.upsert(system) }
    }
}

extension Directory {
    /// Grants read apart from the directory, each numbered as it is read.
    public struct GrantRows: Sendable {
        struct Row: Sendable {
            var userID: Int64
            var grant: PackedGrant
        }

        var targets: TargetTable
        var rows: ContiguousArray<Row> = []

        init(targets: TargetTable) { self.targets = targets }

        public mutating func reserveCapacity(_ count: Int) { rows.reserveCapacity(count) }

        public mutating func append(userID: Int64, target: GrantTarget, until: Timestamp?) {
            rows.append(Row(userID: userID, grant: PackedGrant(target: targets.intern(target), until: until)))
        }
    }
}
