import PostgresNIO

/// The statements of a batch's jobs, held by the writer until they are sent, and the
/// order they are sent in.
///
/// postgres-nio sends one statement at a time and waits for its answer, so each is a
/// round trip, and a batch of GRANTs used to be two a change. Held row writes
/// (`RowWrite`) are sent instead as one statement per kind and *level*: a row write
/// goes one level after the previous row write of the same user, and no earlier than
/// the last statement sent alone; within a level every row write is of another user,
/// so they commute and a level's writes of one kind can go as one statement. A
/// statement held as `single` is a barrier: it goes alone, after everything held
/// before it and before everything held after it (a savepoint, a role's change).
struct HeldStatements {
    enum Item: Sendable {
        case single(PostgresQuery)
        case row(RowWrite)
    }

    private(set) var items: [Item] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    mutating func append(_ statement: PostgresQuery) { items.append(.single(statement)) }
    mutating func append(contentsOf statements: [PostgresQuery]) { items.append(contentsOf: statements.map(Item.single)) }
    mutating func append(contentsOf held: [Item]) { items.append(contentsOf: held) }
    mutating func insert(_ statement: PostgresQuery, at index: Int) { items.insert(.single(statement), at: index) }
    mutating func removeSubrange(from index: Int) { items.removeSubrange(index...) }
    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    /// The statements to send, in order: what running every held item one after
    /// another would write, in as few statements as the levels allow.
    func statements() -> [PostgresQuery] {
        var levels: [Level] = []
        var lastLevelOfUser: [Int64: Int] = [:]
        // The first level a row write may take: the one after the last barrier.
        var floor = 0
        for item in items {
            switch item {
            case .single(let statement):
                levels.append(.barrier(statement))
                floor = levels.count
            case .row(let row):
                var level = floor
                if let user = row.userID {
                    if let last = lastLevelOfUser[user] { level = max(level, last + 1) }
                    lastLevelOfUser[user] = level
                }
                while levels.count <= level { levels.append(.rows([])) }
                levels[level].add(row)
            }
        }
        var statements: [PostgresQuery] = []
        statements.reserveCapacity(levels.count)
        for level in levels {
            switch level {
            case .barrier(let statement): statements.append(statement)
            case .rows(let groups): statements.append(contentsOf: groups.map { PostgresStatements.rows($0) })
            }
        }
        return statements
    }

    /// One barrier, or row writes grouped by kind in the order each kind first came.
    private enum Level {
        case barrier(PostgresQuery)
        case rows([[RowWrite]])

        mutating func add(_ row: RowWrite) {
            guard case .rows(var groups) = self else { preconditionFailure("a row write on a barrier's level") }
            self = .rows([])
            if let index = groups.firstIndex(where: { $0[0].shape == row.shape }) {
                groups[index].append(row)
            } else {
                groups.append([row])
            }
            self = .rows(groups)
        }
    }
}
