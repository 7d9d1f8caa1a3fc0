import Dispatch
import Synchronization
import Testing
import WardenService
@testable import WardenStore

/// A change is authorized against the caller's rights as committed: a right revoked
/// by a change queued just before it counts, even when the two would share a commit.
@Suite struct BatchAuthorizationTests {
    @Test func aGrantQueuedRightAfterTheRevocationOfTheCallersRightIsRefused() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        for line in [
            "ROLE ADD granters", "ROLE GRANT granters warden grant", "SYSTEM ADD wiki permissions=read", "ROLE ADD readers",
            "ROLE GRANT readers wiki read", "USER ADD anna password=Anna-Password-1", "USER ADD bert", "GRANT anna granters",
        ] {
            #expect(try await harness.send(line, on: &admin).hasPrefix("OK"), "\(line)")
        }
        let anna = try await harness.session(as: "anna", password: "Anna-Password-1")

        // Hold the writer so that the revocation and anna's grant queue up together.
        let writer = harness.store.writer
        let held = Mutex(false)
        let gate = DispatchSemaphore(value: 0)
        var released = false
        defer { if !released { gate.signal() } }
        let blocker = Task {
            try await writer.submit(.keys(["block"])) { _ in
                held.withLock { $0 = true }
                gate.wait()
                return Committed(())
            }
        }
        try await Self.wait { held.withLock { $0 } }

        let revoke = Task { [admin] in
            var session = admin
            return try await harness.send("REVOKE anna granters", on: &session)
        }
        try await Self.wait { writer.queuedCount == 1 }
        let grant = Task { [anna] in
            var session = anna
            return try await harness.send("GRANT bert readers", on: &session)
        }
        try await Self.wait { writer.queuedCount == 2 }
        gate.signal()
        released = true
        try await blocker.value

        #expect(try await revoke.value == "OK user=anna revoked=role:granters")
        #expect(try await grant.value == "ERR FORBIDDEN requires warden grant")
        #expect(try await harness.send("CHECK bert wiki read", on: &admin) == "OK DENY reason=no-grant")
        let rows = try await harness.auditRows(where: "action IN ('grant', 'revoke') AND actor = 'anna'")
        #expect(rows == ["anna grant bert denied"])

    }

    static func wait(until condition: () -> Bool) async throws {
        for _ in 0..<6000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}
