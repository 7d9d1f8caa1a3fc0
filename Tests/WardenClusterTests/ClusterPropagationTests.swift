import Foundation
import Testing
import WardenTestSupport

/// SPEC §6 "propagation", "keys and tokens", "audit": what one node commits, every
/// other node answers, without SYNC (the figures are in `scripts/bench --cluster`).
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterPropagationTests {
    @Test func aDisabledUserLosesEverythingOnEveryOtherNode() throws {
        let cluster = try Cluster(nodes: 3)
        defer { cluster.stop() }
        try cluster[0].setUp(["SYSTEM ADD payroll permissions=read", "USER ADD leaver password=Leaver-Pass-Word-1",
                              "GRANT leaver payroll read"])
        let onB = try cluster[1].connect()
        let onC = try cluster[2].admin()
        #expect(try eventually { try onB.send("AUTH leaver Leaver-Pass-Word-1").isOK })
        let login = try onC.send("LOGIN leaver Leaver-Pass-Word-1 aud=payroll")
        let token = try #require(login.value("token"), "\(login)")
        let adminB = try cluster[1].admin()
        #expect(try adminB.send("VALIDATE \(token) payroll read").final.hasPrefix("OK VALID"))

        #expect(try cluster[0].admin().send("USER DISABLE leaver").isOK)
        // Each reflects it on its own, from the feed.
        #expect(try eventually { try adminB.send("CHECK leaver payroll read").final == "OK DENY reason=disabled" })
        #expect(try eventually { try onB.send("HELLO").value("user") == "none" }, "the open session fell back")
        #expect(try eventually { try adminB.send("VALIDATE \(token)").final.hasPrefix("OK INVALID") })
        #expect(try eventually { try onC.send("LOGIN leaver Leaver-Pass-Word-1").errorCode == "AUTH-FAILED" })
    }

    @Test func tokensKeysAndRevocationsHoldOnEveryNode() throws {
        let cluster = try Cluster(nodes: 3)
        defer { cluster.stop() }
        let admins = try cluster.nodes.map { try $0.admin() }
        let token = try #require(try admins[0].send("LOGIN admin \(WardenProcess.adminPassword)").value("token"))
        for admin in admins { #expect(try admin.send("VALIDATE \(token)").final.hasPrefix("OK VALID")) }

        let rotated = try admins[1].send("KEY ROTATE")
        let kid = try #require(rotated.value("kid"), "\(rotated)")
        for node in cluster.nodes {
            #expect(try eventually {
                try httpRequest(port: node.httpPort, method: "GET", path: "/.well-known/jwks.json").body.contains(kid)
            }, "every node publishes the new key")
        }
        // Every node signs with the new key now, and the old token still validates.
        #expect(try eventually { try jwtKid(admins[2].send("LOGIN admin \(WardenProcess.adminPassword)").value("token")) == kid })
        #expect(try admins[2].send("VALIDATE \(token)").final.hasPrefix("OK VALID"))

        let jti = try #require(try admins[0].send("VALIDATE \(token)").value("jti"))
        #expect(try admins[2].send("TOKEN REVOKE \(jti)").isOK)
        for admin in admins {
            #expect(try eventually { try admin.send("VALIDATE \(token)").final == "OK INVALID reason=revoked" })
        }
    }

    @Test func everyNodeKeepsTheSameAuditChain() throws {
        let cluster = try Cluster(nodes: 3)
        defer { cluster.stop() }
        let admins = try cluster.nodes.map { try $0.admin() }
        for index in 0..<30 {
            #expect(try admins[index % 3].send("USER ADD a\(index)").isOK)
        }
        #expect(try admins[1].send("ROLE ADD auditors").isOK)
        let verdicts = try admins.map { admin -> String in
            #expect(try admin.send("SYNC").isOK)
            return try admin.send("AUDIT VERIFY").final
        }
        #expect(verdicts[0].hasPrefix("OK entries="), "\(verdicts)")
        #expect(Set(verdicts).count == 1, "\(verdicts)")
        let entries = try admins.map { try $0.send("AUDIT since=0 limit=10000").data.count }
        #expect(Set(entries).count == 1, "\(entries)")
    }

    @Test func aNodeJoiningLateHasEverything() throws {
        let cluster = try Cluster(nodes: 1)
        defer { cluster.stop() }
        try cluster[0].setUp(["SYSTEM ADD crm permissions=read,write", "ROLE ADD sales", "ROLE GRANT sales crm read",
                              "USER ADD early", "GRANT early sales", "USER ADD gone", "USER DELETE gone"])
        let late = try cluster.startNode()
        cluster.add(late)
        let admin = try late.admin()
        #expect(try admin.send("CHECK early crm read").final == "OK ALLOW via=role:sales")
        #expect(try admin.send("USER SHOW gone").errorCode == "NOT-FOUND")
        let first = try cluster[0].admin()
        #expect(try admin.send("SYNC").isOK)
        #expect(try admin.send("AUDIT VERIFY").final == first.send("AUDIT VERIFY").final)
        // And it goes on following the others.
        #expect(try cluster[0].admin().send("REVOKE early sales").isOK)
        #expect(try eventually { try admin.send("CHECK early crm read").final.hasPrefix("OK DENY") })
    }

    @Test func changesKeepArrivingWhenTheNotificationConnectionsAreKilled() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["SYSTEM ADD wiki permissions=edit"])
        let writer = try cluster[0].admin()
        let reader = try cluster[1].admin()
        let listeners = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
        for round in 0..<6 {
            #expect(try eventually { try cluster.database.psql(listeners) == "2" }, "round \(round): the nodes did not listen again")
            // The server ends every LISTEN connection of this database, as a failover
            // or an administrator would; the nodes must notice, reconnect and catch up.
            let killed = try cluster.database.psql("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND query ILIKE 'LISTEN%'
                """)
            #expect(Int(killed) ?? 0 >= 1, "round \(round): no listening connection found")
            #expect(try writer.send("USER ADD w\(round)").isOK)
            #expect(try writer.send("GRANT w\(round) wiki edit").isOK)
            #expect(try eventually { try reader.send("CHECK w\(round) wiki edit").final == "OK ALLOW via=direct" },
                    "round \(round): the change never reached the other node")
        }
    }

    @Test func failedLoginsCountAcrossNodes() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["USER ADD target password=Target-Pass-Word-1"])
        let onA = try cluster[0].connect()
        for _ in 0..<5 { #expect(try onA.send("AUTH target wrong-password-1").errorCode == "AUTH-FAILED") }
        #expect(try cluster[1].admin().send("SYNC").isOK)
        // The sixth failure for this username from this address waits on the other node too.
        let onB = try cluster[1].connect()
        let started = Date()
        #expect(try onB.send("AUTH target wrong-password-1").errorCode == "AUTH-FAILED")
        #expect(Date().timeIntervalSince(started) >= 0.9, "node B did not count node A's failures")
    }
}

/// The `kid` of a compact JWS's header.
func jwtKid(_ token: String?) -> String? {
    guard let header = token?.split(separator: ".").first else { return nil }
    var text = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    guard let data = Data(base64Encoded: text),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return object["kid"] as? String
}
