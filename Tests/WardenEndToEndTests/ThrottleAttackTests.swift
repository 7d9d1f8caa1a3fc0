import Foundation
import Synchronization
import Testing

/// The login throttle against an attacker (issue #11): parallel connections wait their
/// turn, a wrong answer costs the configured scrypt whatever the stored hash or the
/// secret's length, and PASSWD counts its failures. Each bound is a lower bound.
@Suite struct ThrottleAttackTests {
    static let shared = SharedWarden()

    private func failFiveTimes(_ name: String, on connection: LineConnection) throws {
        for _ in 1...5 { #expect(try connection.send("AUTH \(name) Wrong-Password-123").errorCode == "AUTH-FAILED") }
    }

    @Test func parallelConnectionsWaitOneAfterAnotherWhileThrottled() throws {
        let server = try Self.shared.get()
        try failFiveTimes("throttle-parallel", on: server.connect())
        // Three guesses at once: the turns are 1 s, then 2 s and 4 s after the one before.
        let start = Date()
        let finished = Mutex<[Double]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            _ = try? server.connect().send("AUTH throttle-parallel Wrong-Password-123")
            let elapsed = Date().timeIntervalSince(start)
            finished.withLock { $0.append(elapsed) }
        }
        let times = finished.withLock { $0.sorted() }
        #expect(times.count == 3)
        #expect(times.last! >= 6.5)
    }

    @Test func passwdFailuresAreThrottled() throws {
        let server = try Self.shared.get()
        try Fixture.person("throttle-passwd", on: server)
        let session = try server.connect()
        try session.ok("AUTH throttle-passwd \(Fixture.password)")
        for _ in 1...5 {
            #expect(try session.send("PASSWD Wrong-Guess-Pass-1 \(Fixture.newPassword)").errorCode == "AUTH-FAILED")
        }
        let (sixth, seconds) = try Fixture.timed { try session.send("PASSWD Wrong-Guess-Pass-1 \(Fixture.newPassword)") }
        #expect(sixth.errorCode == "AUTH-FAILED")
        #expect(seconds >= 0.9)
    }

    /// Median seconds of three wrong AUTHs for `name` with `secret`, each on a new
    /// username suffix's own pair so the throttle never delays them.
    /// `warden_scrypt_derivations_total` from `/metrics`.
    private func derivations(_ server: WardenProcess) throws -> Int {
        let body = try httpRequest(port: server.httpPort, method: "GET", path: "/metrics").body
        let line = body.split(separator: "\n").first { $0.hasPrefix("warden_scrypt_derivations_total ") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test func everyWrongAnswerCostsTheConfiguredScrypt() throws {
        // A user hashed at a low cost, then the cost is raised (ln=15: 32 MiB, tens of ms).
        let first = try WardenProcess(arguments: ["--scrypt-ln", "4"])
        try first.admin().ok("USER ADD weak password=\(Fixture.password)")
        #expect(first.terminate() == 0)
        let server = try WardenProcess(dataDirectory: first.dataDirectory, arguments: ["--scrypt-ln", "15"])
        defer {
            server.terminate()
            server.removeData()
        }
        // Counted rather than timed (a timing ratio flakes on a busy machine): each
        // wrong answer is one derivation at the configured cost, whatever it was for.
        let connection = try server.connect()
        for (name, secret) in [("nobody-here", "Wrong-Password-123"), ("weak", "Wrong-Password-123"),
                               ("nobody-else", String(repeating: "x", count: 2000))] {
            let before = try derivations(server)
            #expect(try connection.send("AUTH \(name) \(secret)").errorCode == "AUTH-FAILED")
            #expect(try derivations(server) == before + 1, "the wrong answer for \(name) cost no scrypt at ln=15")
        }
    }
}
