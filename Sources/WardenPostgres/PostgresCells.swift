import PostgresNIO
import WardenStore

/// A row's cells read in order, each decoded to the type its call asks for.
///
/// For the large tables at start (users, grants, tokens): postgres-nio's tuple
/// `decode((A, B, …).self)` is a parameter pack that is not specialized across modules,
/// so every row instantiated its tuple metadata at run time: a load of 100,000 users
/// took 0.8–1.3 s with it, 0.5–0.6 s cell by cell (release, this 2-core machine). One
/// cell at a time, each decode is a concrete, inlined call.
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) { cells = row.makeIterator() }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type = Value.self) throws -> Value {
        guard let cell = cells.next() else { throw StoreError.corrupt("a row has fewer columns than its query selects") }
        return try cell.decode(Value.self)
    }
}
