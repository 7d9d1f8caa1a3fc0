import Foundation
import Testing
import WardenTestSupport

/// SPEC §9 on a cluster: a review's due date is in the database, and every node's
/// upkeep asks its writer to close what is due; the writer decides under the cluster's
/// write lock against the committed state, so a review closes once, its grants are
/// revoked once, whichever nodes race for it.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterReviewTests {
    @Test func twoNodesCloseADueReviewOnce() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp([
            "SYSTEM ADD payroll permissions=read", "ROLE ADD clerk", "ROLE GRANT clerk payroll read",
            "USER ADD alice", "USER ADD bob", "USER ADD carol", "GRANT alice clerk", "GRANT bob clerk",
            "REVIEW START role=clerk reviewer=carol for=2s default=revoke",
        ])
        // Both nodes know the review (and its due date) before it is due.
        let other = try cluster[1].admin()
        #expect(try other.send("SYNC").isOK)
        #expect(try other.send("REVIEW SHOW 1").value("status") == "open")
        let deadline = Date().addingTimeInterval(20)
        var status = ""
        while status != "closed", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            status = try other.send("REVIEW SHOW 1").value("status") ?? ""
        }
        #expect(status == "closed")
        // A tick or two more, for the other node's upkeep to find it closed.
        Thread.sleep(forTimeInterval: 6)
        let closes = try cluster.database.psql("SELECT count(*) FROM audit WHERE action = 'review.close'")
        let revocations = try cluster.database.psql("SELECT count(*) FROM audit WHERE action = 'revoke' AND detail LIKE '%review=1 %'")
        #expect(closes == "1" && revocations == "2", "closes \(closes), revocations \(revocations)")
        for node in [0, 1] {
            let admin = try cluster[node].admin()
            #expect(try admin.send("SYNC").isOK)
            #expect(try admin.send("REVIEW SHOW 1").final.contains("kept=0 revoked=2"))
            #expect(try admin.send("CHECK alice payroll read").value("reason") == "no-grant")
            #expect(try admin.send("AUDIT VERIFY").isOK)
        }
    }
}
