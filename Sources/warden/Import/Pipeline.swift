import WardenClient

/// Sends groups of requests over several connections at once, each connection
/// pipelining its share, and gives back every group's replies in the groups' order.
///
/// A group (the requests of one row) stays on one connection, so its requests are
/// answered in order: `USER ADD` before the `GRANT`s that need the user.
enum Pipeline {
    /// Requests a connection may have unanswered; the server stops reading past
    /// 1,024 queued requests, and a bounded window keeps memory flat.
    static let window = 256

    static func run(_ groups: [[String]], over connections: [WardenConnection], progress: Progress?) async throws -> [[ClientReply]] {
        let shards = connections.count
        let results = try await withThrowingTaskGroup(of: [(Int, [ClientReply])].self) { tasks in
            for (shard, connection) in connections.enumerated() {
                let mine = stride(from: shard, to: groups.count, by: shards).map { ($0, groups[$0]) }
                tasks.addTask { try await runShard(mine, on: connection, progress: progress) }
            }
            var all: [(Int, [ClientReply])] = []
            for try await part in tasks { all.append(contentsOf: part) }
            return all
        }
        var ordered = [[ClientReply]](repeating: [], count: groups.count)
        for (index, replies) in results { ordered[index] = replies }
        return ordered
    }

    private static func runShard(_ groups: [(Int, [String])], on connection: WardenConnection, progress: Progress?) async throws -> [(Int, [ClientReply])] {
        var results: [(Int, [ClientReply])] = []
        results.reserveCapacity(groups.count)
        var inFlight: [(index: Int, replies: [WardenConnection.PendingReply])] = []
        var head = 0
        var outstanding = 0

        func collectOldest() async throws {
            let (index, pending) = inFlight[head]
            head += 1
            var replies: [ClientReply] = []
            for reply in pending { replies.append(try await reply.get()) }
            outstanding -= pending.count
            results.append((index, replies))
            progress?.advance()
        }

        for (index, lines) in groups {
            inFlight.append((index, lines.map { connection.submit($0, flush: false) }))
            outstanding += lines.count
            if outstanding >= window {
                connection.flush()
                while outstanding >= window { try await collectOldest() }
            }
        }
        connection.flush()
        while head < inFlight.count { try await collectOldest() }
        return results
    }
}
