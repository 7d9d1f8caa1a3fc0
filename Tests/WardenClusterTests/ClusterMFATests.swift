import Foundation
import Testing
import WardenTestSupport

/// SPEC §7 on a cluster: a TOTP secret sealed by one node opens on every node (the
/// same master key), and each code is accepted once across the cluster, even when two
/// nodes are handed it at the same moment. Codes come from pyotp.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterMFATests {
    static let password = "Cluster-Mfa-Pass-1"

    @Test func aCodeAcceptedOnOneNodeIsRefusedOnTheOthers() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["USER ADD alice password=\(Self.password)"])
        let alice = try cluster[0].connect()
        #expect(try alice.send("AUTH alice \(Self.password)").isOK)
        let secret = try #require(try alice.send("MFA ENROLL").value("secret"))
        PyOTP.waitForFreshStep()
        let now = Int(Date().timeIntervalSince1970)
        let codes = try PyOTP.codes(secret, at: [now, now - 30, now + 30])
        #expect(try alice.send("MFA CONFIRM \(codes[0])").value("mfa") == "on")

        // Enrolled on node 0; node 1 asks for the code and takes an unused one.
        let other = try cluster[1].connect()
        #expect(try cluster[1].admin().send("SYNC").isOK)
        #expect(try other.send("AUTH alice \(Self.password)").errorCode == "MFA-REQUIRED")
        #expect(try other.send("AUTH alice \(Self.password) otp=\(codes[0])").errorCode == "AUTH-FAILED", "spent by CONFIRM on node 0")
        #expect(try other.send("AUTH alice \(Self.password) otp=\(codes[1])").isOK)
        #expect(try cluster[0].connect().send("AUTH alice \(Self.password) otp=\(codes[1])").errorCode == "AUTH-FAILED")

        // The same fresh code on both nodes at once: one sign-in, one refusal.
        let connections = try [cluster[0].connect(), cluster[1].connect()]
        let replies = try (0..<2).concurrentMap { index in
            try connections[index].send("LOGIN alice \(Self.password) otp=\(codes[2])")
        }
        #expect(replies.filter(\.isOK).count == 1, "\(replies.map(\.final))")
        #expect(replies.filter { $0.errorCode == "AUTH-FAILED" }.count == 1, "\(replies.map(\.final))")

        // What the database holds: the secret only sealed, the recovery codes only hashed.
        let row = try cluster.database.psql("SELECT sealed_secret || ' ' || array_to_string(recovery_codes, ',') FROM mfa")
        #expect(!row.contains(secret) && !row.isEmpty)
        #expect(row.contains("sha256$"))
    }
}
