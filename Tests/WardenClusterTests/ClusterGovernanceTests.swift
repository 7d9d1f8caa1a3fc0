import Foundation
import Testing
import WardenTestSupport

/// SPEC §8 and §10 on a cluster: request numbers are the cluster's, and a rule added
/// on one node is enforced on the others.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterGovernanceTests {
    static let password = "Cluster-Gov-Pass-1"

    @Test func requestsMadeOnTwoNodesAtOnceGetDistinctNumbers() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        let roles = (0..<8).map { "r\($0)" }
        try cluster[0].setUp(["USER ADD ann password=\(Self.password)", "USER ADD bob password=\(Self.password)"]
            + roles.flatMap { ["ROLE ADD \($0)", "ROLE SET \($0) requestable=yes"] })
        let connections = try [("ann", cluster[0]), ("bob", cluster[1])].map { user, node -> LineConnection in
            let connection = try node.connect()
            #expect(try connection.send("AUTH \(user) \(Self.password)").isOK)
            #expect(try connection.send("SYNC").isOK)
            return connection
        }
        var numbers: [String] = []
        for role in roles {
            let replies = try (0..<2).concurrentMap { index in try connections[index].send("REQUEST \(role) reason=race") }
            #expect(replies.filter(\.isOK).count == 2, "\(replies.map(\.final))")
            numbers += replies.compactMap { $0.value("request") }
        }
        #expect(Set(numbers).count == roles.count * 2, "\(numbers)")
        #expect(try cluster.database.psql("SELECT count(DISTINCT id) FROM access_requests") == String(roles.count * 2))
    }

    @Test func aRuleAddedOnOneNodeRefusesAGrantOnAnother() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["ROLE ADD maker", "ROLE ADD checker", "USER ADD carol", "GRANT carol maker",
                              "SOD ADD split role:maker role:checker"])
        let other = try cluster[1].admin()
        #expect(try other.send("SYNC").isOK)
        #expect(try other.send("GRANT carol checker").final == "ERR CONFLICT sod=split")
        #expect(try cluster.database.psql("SELECT count(*) FROM grants WHERE role = 'checker'") == "0")
    }
}
