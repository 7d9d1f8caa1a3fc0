extension Directory {
    /// Fills an empty directory at start: users in ascending id (the table's order),
    /// then grants by user id. A grant finds its user by position, not by hashing: the
    /// grants table is mostly in user order, so the next user is usually the next entry.
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

        /// Gives the user with `userID` these grants; a user not added gets nothing.
        public mutating func add(_ grants: some Collection<(target: GrantTarget, until: Timestamp?)>, userID: Int64) {
            guard let slot = slot(of: userID) else { return }
            directory.load(grants, slot: slot)
        }

        private mutating func slot(of id: Int64) -> Int? {
            if cursor < ids.count, ids[cursor] == id { return cursor }
            if cursor + 1 < ids.count, ids[cursor + 1] == id {
                cursor += 1
                return cursor
            }
            guard ascending else { return directory.userNamesByID[id].flatMap(directory.slot(named:)) }
            var low = 0, high = ids.count
            while low < high {
                let middle = (low + high) / 2
                if ids[middle] < id { low = middle + 1 } else { high = middle }
            }
            guard low < ids.count, ids[low] == id else { return nil }
            cursor = low
            return low
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
