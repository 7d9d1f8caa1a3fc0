import Foundation
import Testing

/// SPEC §4: `OK` to a change means it is committed. Several connections stream
/// pipelined grants and revokes (so that changes share group commits), the server is
/// killed with SIGKILL mid-stream, and a restart must show every acknowledged change,
/// an intact audit chain and a sound database file.
@Suite struct CrashTests {
    static let connections = 4
    static let usersPerConnection = 5

    @Test func everyAcknowledgedChangeSurvivesSIGKILL() async throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        var setup = ["SYSTEM ADD app description=\"open system for the stream\""]
        for connection in 0..<Self.connections {
            for user in 0..<Self.usersPerConnection { setup.append("USER ADD c\(connection)-u\(user)") }
        }
        try admin.runScript(setup)
        let entriesBefore = try #require(admin.send("AUDIT VERIFY").value("entries").flatMap { Int($0) })

        let streams = try (0..<Self.connections).map { index in
            GrantStream(connection: try server.admin(), prefix: "c\(index)-", users: Self.usersPerConnection)
        }
        for stream in streams { stream.start() }
        // Killed mid-stream once enough changes are acknowledged to mean something (a
        // count, not a fixed time: a busy machine acknowledges fewer per second).
        let deadline = ContinuousClock.now + .seconds(30)
        while streams.map(\.acknowledgedOperations.count).reduce(0, +) < 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        server.kill()
        for stream in streams { stream.finish() }

        let acknowledged = streams.map(\.acknowledgedOperations.count).reduce(0, +)
        #expect(acknowledged >= 100, "too few changes were acknowledged (\(acknowledged)) for the test to mean much")
        for stream in streams { #expect(stream.refusedOperations.isEmpty, "\(stream.refusedOperations.prefix(3))") }

        let restarted = try WardenProcess(dataDirectory: server.dataDirectory)
        defer { restarted.terminate() }
        let again = try restarted.admin()
        var checked = 0
        for stream in streams {
            for (user, expected) in stream.expectations() {
                let held = Set(try again.send("ACCESS \(user)").rows.compactMap { $0["permission"] })
                let lost = expected.present.subtracting(held)
                let revived = expected.absent.intersection(held)
                #expect(lost.isEmpty, "\(user) lost acknowledged grants \(lost.sorted().prefix(5))")
                #expect(revived.isEmpty, "\(user) has back acknowledged revokes \(revived.sorted().prefix(5))")
                checked += expected.present.count + expected.absent.count
            }
        }
        #expect(checked > 0)

        let verify = try again.send("AUDIT VERIFY")
        #expect(verify.isOK, "\(verify)")
        // Each acknowledged change wrote its audit entry in the same commit.
        let entriesAfter = verify.value("entries").flatMap { Int($0) } ?? 0
        #expect(entriesAfter >= entriesBefore + acknowledged)

        #expect(restarted.terminate() == 0)
        let integrity = try SQLiteFile(dataDirectory: server.dataDirectory).query("PRAGMA integrity_check")
        #expect(integrity == [["ok"]])
    }
}
