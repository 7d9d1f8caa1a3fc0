import Foundation
import Testing
import WardenTestSupport

/// Group commit on PostgreSQL sends a batch's row writes of one kind as one statement
/// (`HeldStatements`), and a joining node reads users and grants on two connections at
/// once (`SnapshotReaders`): neither may change what a node ends up holding.
@Suite(.serialized, .enabled(if: clusterAvailable, "needs $WARDEN_TEST_POSTGRES_URL (scripts/postgres-scratch)"))
struct ClusterBatchTests {
    @Test func pipelinedMixedChangesLeaveAJoiningNodeExactlyTheWritersState() throws {
        let cluster = try Cluster(nodes: 1)
        defer { cluster.stop() }
        try cluster[0].setUp(["SYSTEM ADD crm permissions=read,write", "ROLE ADD sales", "ROLE GRANT sales crm read"]
            + (0..<24).map { "USER ADD u\($0)" })
        // Four connections, each pipelining changes to its own users: batches mix adds,
        // grants of both kinds, revokes, disables, enables and deletes of many users.
        _ = try (0..<4).concurrentMap { lane in
            let connection = try cluster[0].admin()
            var lines: [String] = []
            for index in stride(from: lane, to: 24, by: 4) {
                let user = "u\(index)"
                lines += ["GRANT \(user) sales", "GRANT \(user) crm write", "REVOKE \(user) sales"]
                switch index % 4 {
                case 0: lines += ["GRANT \(user) sales", "USER DISABLE \(user)"]
                case 1: lines += ["USER DISABLE \(user)", "USER ENABLE \(user)", "GRANT \(user) crm read"]
                case 2: lines += ["USER DELETE \(user)", "USER ADD \(user)", "GRANT \(user) sales"]
                default: lines += ["REVOKE \(user) crm write", "GRANT \(user) sales until=2099-01-01T00:00:00Z"]
                }
                lines += ["USER ADD new\(index)", "GRANT new\(index) crm read"]
            }
            try connection.write(lines.map { $0 + "\n" }.joined())
            for line in lines {
                let reply = try connection.readReply()
                #expect(reply.isOK, "\(line): \(reply.final)")
            }
        }
        let late = try cluster.startNode()
        cluster.add(late)
        let writer = try cluster[0].admin(), joined = try late.admin()
        #expect(try joined.send("SYNC").isOK)
        for user in (0..<24).flatMap({ ["u\($0)", "new\($0)"] }) {
            for command in ["USER SHOW \(user)", "ACCESS \(user)", "CHECK \(user) crm read", "CHECK \(user) crm write"] {
                let expected = try writer.send(command), answered = try joined.send(command)
                #expect(answered.final == expected.final && answered.data == expected.data, "\(command)")
            }
        }
        for command in ["WHO crm read", "WHO crm write", "USER LIST", "AUDIT VERIFY"] {
            let expected = try writer.send(command), answered = try joined.send(command)
            #expect(answered.final == expected.final && answered.data.sorted() == expected.data.sorted(), "\(command)")
        }
    }
}
