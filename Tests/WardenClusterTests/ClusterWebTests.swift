import Foundation
import Testing
import WardenTestSupport

/// SPEC §11's web sessions on a cluster: a session begun on one node is known on every
/// node, and ends on every node at sign-out, a password change, a disable or a delete,
/// wherever that happened.
@Suite(.enabled(if: clusterAvailable), .serialized) struct ClusterWebTests {
    static let password = "Cluster-Web-Pass-1"
    static let newPassword = "Cluster-Web-Pass-2"

    /// The page of `/account` on `node` with the session `id`: signed in or not.
    static func isSignedIn(_ id: String, on node: WardenProcess) throws -> Bool {
        var browser = PageClient(port: node.httpPort)
        browser.setCookie("warden-session", id)
        let page = try browser.get("/account")
        return page.body.contains("action=\"/account/signout\"")
    }

    /// Waits (at most five seconds) until `node` has applied every change committed before.
    static func sync(_ node: WardenProcess) throws {
        #expect(try node.admin().send("SYNC").isOK)
    }

    @Test func aSessionBegunOnOneNodeServesOnAnotherAndEndsOnAllAtSignOut() throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["USER ADD alice password=\(Self.password)"])
        var browser = PageClient(port: cluster[0].httpPort)
        #expect(try browser.signIn("alice", Self.password).body.contains("Your account"))
        let id = try #require(browser.sessionID)
        try Self.sync(cluster[1])
        #expect(try Self.isSignedIn(id, on: cluster[1]), "node 1 knows the session node 0 began")

        // Sign-out on node 1 (the cookie and token work there too) ends it on node 0.
        var elsewhere = PageClient(port: cluster[1].httpPort)
        elsewhere.setCookie("warden-session", id)
        _ = try elsewhere.get("/account")
        #expect(try elsewhere.post("/account/signout", []).status == 200)
        try Self.sync(cluster[0])
        #expect(try !Self.isSignedIn(id, on: cluster[0]))
        #expect(try !Self.isSignedIn(id, on: cluster[1]))
    }

    @Test(arguments: ["disable", "delete", "passwd"])
    func aChangeOnOneNodeEndsTheSessionsOnTheOthers(_ how: String) throws {
        let cluster = try Cluster(nodes: 2)
        defer { cluster.stop() }
        try cluster[0].setUp(["USER ADD bob password=\(Self.password)"])
        var browser = PageClient(port: cluster[0].httpPort)
        #expect(try browser.signIn("bob", Self.password).body.contains("Your account"))
        let id = try #require(browser.sessionID)
        let admin = try cluster[1].admin()
        #expect(try admin.send("SYNC").isOK)
        switch how {
        case "disable": #expect(try admin.send("USER DISABLE bob").isOK)
        case "delete": #expect(try admin.send("USER DELETE bob").isOK)
        default: #expect(try admin.send("USER PASSWD bob \(Self.newPassword)").isOK)
        }
        try Self.sync(cluster[0])
        #expect(try !Self.isSignedIn(id, on: cluster[0]), "\(how) on node 1 ended the session on node 0")
    }
}
