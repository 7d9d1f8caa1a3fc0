import Foundation
import Testing
import WardenTestSupport

/// SPEC §6 "same answers": a change is decided against the latest committed state,
/// whichever node made the earlier change.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterDecisionTests {
    @Test func nodesStartedTogetherInitialiseTheDatabaseOnce() throws {
        let cluster = try Cluster(nodes: 3)
        defer { cluster.stop() }
        // One bootstrap entry and one first key, whoever came first.
        #expect(try cluster.database.psql("SELECT count(*) FROM audit WHERE action = 'bootstrap'") == "1")
        #expect(try cluster.database.psql("SELECT count(*) FROM signing_keys") == "1")
        #expect(try cluster.database.psql("SELECT count(*) FROM users") == "1")
        for node in cluster.nodes { #expect(try node.admin().send("USER SHOW admin").isOK) }
    }

    @Test func twoNodesAddingOneUserAtOnceGiveOneOKAndOneEXISTS() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        let connections = try [cluster[0].admin(), cluster[1].admin()]
        for round in 0..<20 {
            let replies = try (0..<2).concurrentMap { index in try connections[index].send("USER ADD race\(round)") }
            let finals = replies.map(\.final).sorted()
            #expect(replies.filter(\.isOK).count == 1, "round \(round): \(finals)")
            #expect(replies.filter { $0.errorCode == "EXISTS" }.count == 1, "round \(round): \(finals)")
        }
    }

    @Test func twoNodesRemovingTheLastTwoAdministratorsGiveOneOKAndOneCONFLICT() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        // `ops` holds every warden permission directly, not the role, so it is not one
        // of the administrators the last-admin rule counts; `second` is the other one.
        let permissions = ["user-admin", "role-admin", "grant", "check", "token-issue", "introspect", "audit", "key-admin", "review"]
        try cluster[0].setUp(["USER ADD second password=Second-Admin-Pass-1", "GRANT second warden-admin",
                              "USER ADD ops password=Ops-Person-Pass-1"] + permissions.map { "GRANT ops warden \($0)" })
        let ops = try [cluster[0], cluster[1]].map { node -> LineConnection in
            let connection = try node.connect()
            #expect(try connection.send("AUTH ops Ops-Person-Pass-1").isOK)
            #expect(try connection.send("SYNC").isOK)
            return connection
        }
        let replies = try (0..<2).concurrentMap { index in
            try ops[index].send(index == 0 ? "REVOKE admin warden-admin" : "REVOKE second warden-admin")
        }
        #expect(replies.filter(\.isOK).count == 1, "\(replies.map(\.final))")
        #expect(replies.filter { $0.errorCode == "CONFLICT" }.count == 1, "\(replies.map(\.final))")
        // And the database agrees: one permanent warden-admin grant is left.
        #expect(try cluster.database.psql("SELECT count(*) FROM grants WHERE role = 'warden-admin' AND until_ms IS NULL") == "1")
    }

    @Test func aScriptWritingOnOneNodeReadsItsChangeOnAnotherAfterSYNC() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        let writer = try cluster[0].admin()
        let reader = try cluster[1].admin()
        #expect(try writer.send("SYSTEM ADD payroll permissions=read,write").isOK)
        for index in 0..<25 {
            #expect(try writer.send("USER ADD s\(index)").isOK)
            #expect(try writer.send("GRANT s\(index) payroll read").isOK)
            let synced = try reader.send("SYNC")
            #expect(synced.isOK && synced.value("rev") != nil, "\(synced)")
            #expect(try reader.send("CHECK s\(index) payroll read").final == "OK ALLOW via=direct")
        }
    }
}
