import WardenClient

/// Sends groups of requests over several connections at once, each connection
/// pipelining its share, and gives back every group's replies in the groups' order.
///
/// A group (the requests of one row) stays on one connection, so its requests are
/// answered in order: `USER ADD` before the `GRANT`s that need the user.
enum Pipeline {
    /// Requests a connection may have unanswered; the server stops reading past
    /// 1,024 queued requests, and a bounded window keeps memory flat.
    static let window = 1024

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

    /// As `run`, in waves: every group's first request, then (once they are all
    /// answered) every group's second one, and so on. A group's requests still go in
    /// order, and the server, which commits one caller's changes in the order it sent
    /// them, can then commit a wave's thousands of `USER ADD`s or `GRANT`s together
    /// rather than a row's few at a time.
    static func runInWaves(_ groups: [[String]], over connections: [WardenConnection], progress: Progress?) async throws -> [[ClientReply]] {
        var replies = [[ClientReply]](repeating: [], count: groups.count)
        let depth = groups.map(\.count).max() ?? 0
        for wave in 0..<depth {
            let members = groups.indices.filter { groups[$0].count > wave }
            let answered = try await run(members.map { [groups[$0][wave]] }, over: connections, progress: nil)
            for (index, reply) in zip(members, answered) {
                replies[index].append(contentsOf: reply)
                if groups[index].count == wave + 1 { progress?.advance() }
            }
        }
        return replies
    }

    /// Lines written in one go (whole groups, so a few more at most).
    static let chunk = 128

    /// Sends whole groups in chunks of about `chunk` lines, each chunk written and
    /// answered as one (`submit(batch:)`), keeping at most `window` lines unanswered.
    private static func runShard(_ groups: [(Int, [String])], on connection: WardenConnection, progress: Progress?) async throws -> [(Int, [ClientReply])] {
        var results: [(Int, [ClientReply])] = []
        results.reserveCapacity(groups.count)
        var inFlight: [(groups: Range<Int>, replies: WardenConnection.PendingReplies, count: Int)] = []
        var head = 0
        var outstanding = 0

        func collectOldest() async throws {
            let (range, pending, count) = inFlight[head]
            head += 1
            let replies = try await pending.get()
            outstanding -= count
            var next = 0
            for position in range {
                let (index, lines) = groups[position]
                results.append((index, Array(replies[next..<next + lines.count])))
                next += lines.count
                progress?.advance()
            }
        }

        var start = 0
        while start < groups.count {
            var end = start
            var lines: [String] = []
            while end < groups.count, lines.count < chunk {
                lines += groups[end].1
                end += 1
            }
            while outstanding > 0, outstanding + lines.count > window { try await collectOldest() }
            inFlight.append((start..<end, connection.submit(batch: lines), lines.count))
            outstanding += lines.count
            start = end
        }
        while head < inFlight.count { try await collectOldest() }
        return results
    }
}
