import Foundation
import Testing
import WardenTestSupport

/// SPEC §6 "database outage" and "node failure": a node without its database answers
/// reads from memory and refuses changes, and recovers by itself; a node killed
/// mid-burst loses nothing it acknowledged.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterFaultTests {
    @Test func aNodeWithoutItsDatabaseAnswersFromMemoryAndRecoversByItself() throws {
        let (server, folder) = try TestPostgres.startScratchServer()
        defer { TestPostgres.stopServer(folder) }
        let cluster = try Cluster(nodes: 2, on: server)
        defer { cluster.stop() }
        try cluster[0].setUp(["SYSTEM ADD payroll permissions=read", "USER ADD staff password=Staff-Pass-Word-1",
                              "GRANT staff payroll read"])
        let admin = try cluster[1].admin()
        #expect(try admin.send("SYNC").isOK)
        let token = try #require(try admin.send("LOGIN staff Staff-Pass-Word-1").value("token"))

        try TestPostgres.pauseServer(folder)
        #expect(try eventually(within: 10) { try admin.send("HELLO").final.hasSuffix(" degraded=true") })
        #expect(try eventually(within: 10) { try httpRequest(port: cluster[1].httpPort, method: "GET", path: "/healthz").status == 503 })
        // Reads, from memory.
        #expect(try admin.send("CHECK staff payroll read").final == "OK ALLOW via=direct")
        #expect(try admin.send("VALIDATE \(token)").final.hasPrefix("OK VALID"))
        #expect(try admin.send("WHO payroll read").isOK)
        #expect(try admin.send("ACCESS staff").isOK)
        #expect(try cluster[1].connect().send("AUTH TOKEN \(token)").final == "OK user=staff")
        // Changes, password logins and SYNC: refused, nothing half made.
        #expect(try admin.send("USER ADD during").errorCode == "UNAVAILABLE")
        #expect(try admin.send("LOGIN staff Staff-Pass-Word-1").errorCode == "UNAVAILABLE")
        #expect(try cluster[1].connect().send("AUTH staff Staff-Pass-Word-1").errorCode == "UNAVAILABLE")
        #expect(try admin.send("SYNC").errorCode == "UNAVAILABLE")

        try TestPostgres.resumeServer(folder)
        #expect(try eventually(within: 20) { try admin.send("USER ADD after").isOK }, "writes never came back")
        #expect(try eventually(within: 20) { try httpRequest(port: cluster[1].httpPort, method: "GET", path: "/healthz").status == 200 })
        #expect(try eventually(within: 10) { !(try admin.send("HELLO").final.contains("degraded")) })
        let other = try cluster[0].admin()
        #expect(try eventually { try other.send("USER SHOW after").isOK })
        #expect(try other.send("USER SHOW during").errorCode == "NOT-FOUND")
    }

    @Test func restartingTheDatabaseUnderLoadLosesNoAcknowledgedChange() throws {
        let (server, folder) = try TestPostgres.startScratchServer()
        defer { TestPostgres.stopServer(folder) }
        let cluster = try Cluster(nodes: 2, on: server)
        defer { cluster.stop() }
        let node = cluster[0]
        let load = Thread.detachedLoad(seconds: 6) { index in
            // A fresh connection after each failure: the node may close it meanwhile.
            let reply = try node.admin().send("USER ADD load\(index)")
            return reply.isOK
        }
        usleep(1_500_000)
        try TestPostgres.pauseServer(folder)
        usleep(500_000)
        try TestPostgres.resumeServer(folder)
        let acknowledged = load.wait()
        #expect(acknowledged.count > 5, "too few changes got through to test anything")
        do {
            let reader = try cluster[1].admin()
            #expect(try eventually(within: 20) { try reader.send("SYNC").isOK })
            for index in acknowledged { #expect(try reader.send("USER SHOW load\(index)").isOK, "load\(index) was acknowledged, then lost") }
            let verdicts = try cluster.nodes.map { node -> String in
                let admin = try node.admin()
                #expect(try eventually(within: 10) { try admin.send("SYNC").isOK })
                return try admin.send("AUDIT VERIFY").final
            }
            #expect(verdicts[0].hasPrefix("OK entries="), "\(verdicts)")
        } catch {
            // What the nodes said is what tells a stuck writer from a stuck feed.
            for (index, node) in cluster.nodes.enumerated() { Issue.record("node \(index) log:\n\(node.log.suffix(4000))") }
            throw error
        }
    }

    @Test func aNodeKilledDuringAPipelinedBurstLosesNothingItAcknowledged() throws {
        let cluster = try Cluster(nodes: 3)
        defer { cluster.stop() }
        let connection = try cluster[0].admin()
        let burst = (0..<600).map { "USER ADD burst\($0)\n" }.joined()
        try connection.write(burst)
        var acknowledged: [Int] = []
        for index in 0..<600 {
            guard let reply = try? connection.readReply() else { break }
            if reply.isOK { acknowledged.append(index) }
            if acknowledged.count == 150 { cluster[0].kill() }
        }
        #expect(acknowledged.count >= 150)
        let survivor = try cluster[1].admin()
        #expect(try survivor.send("SYNC").isOK)
        for index in acknowledged { #expect(try survivor.send("USER SHOW burst\(index)").isOK, "burst\(index) acknowledged, then lost") }
        // The others never stopped answering, and the chain is whole.
        #expect(try cluster[2].admin().send("AUDIT VERIFY").final.hasPrefix("OK entries="))
        #expect(try survivor.send("USER ADD after-the-kill").isOK)
    }
}

/// A load of numbered requests on a thread for a fixed time; `wait` gives the numbers
/// whose request was acknowledged.
final class DetachedLoad: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledged: [Int] = []
    private let done = DispatchSemaphore(value: 0)

    init(seconds: Double, _ body: @escaping (Int) throws -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        let work = UncheckedBody(body)
        Thread.detachNewThread { [self] in
            var index = 0
            while Date() < deadline {
                if (try? work.body(index)) == true { lock.withLock { acknowledged.append(index) } }
                index += 1
            }
            done.signal()
        }
    }

    func wait() -> [Int] {
        done.wait()
        return lock.withLock { acknowledged }
    }
}

private struct UncheckedBody: @unchecked Sendable {
    let body: (Int) throws -> Bool
    init(_ body: @escaping (Int) throws -> Bool) { self.body = body }
}

extension Thread {
    static func detachedLoad(seconds: Double, _ body: @escaping (Int) throws -> Bool) -> DetachedLoad {
        DetachedLoad(seconds: seconds, body)
    }
}
