import Foundation
import Testing

/// `warden serve --hashing-threads`: the scrypt workers are as many as asked, named
/// for the OS (`top -H`, `ps -L`), and run below the event loops' priority.
@Suite struct HashingThreadsTests {
    /// Name and nice value (field 19 of stat) of every thread of `pid`.
    static func threads(of pid: Int32) throws -> [(name: String, nice: Int)] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return try tasks.map { tid in
            let name = try String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let stat = try String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8)
            // Fields after the parenthesised name (which may hold spaces): state is 3, nice 19.
            let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
            return (name, try #require(Int(fields[19 - 3])))
        }
    }

    @Test func theWorkersAreNamedAndRunBelowTheEventLoops() throws {
        let server = try WardenProcess(arguments: ["--hashing-threads", "3"])
        defer { server.stopAndClean() }
        // A login has run on the pool, so its threads have surely started.
        _ = try server.admin()
        let threads = try Self.threads(of: server.process.processIdentifier)
        let workers = threads.filter { $0.name.hasPrefix("warden-hash-") }
        #expect(workers.map(\.name).sorted() == ["warden-hash-0", "warden-hash-1", "warden-hash-2"])
        let main = try #require(threads.first { $0.name == "warden" })
        #expect(workers.allSatisfy { $0.nice == min(19, main.nice + 5) }, "\(threads)")
        #expect(server.log.contains("threads.hashing=3"))
    }

    @Test(arguments: ["0", "-1", "257", "many"])
    func anUnusableCountIsRefused(_ count: String) throws {
        let result = try runWarden(["serve", "--data", "/nonexistent/warden-hashing-test", "--hashing-threads", count])
        #expect(result.status != 0)
        #expect(result.stderr.contains("hashing-threads"), "\(result.stderr)")
    }
}
