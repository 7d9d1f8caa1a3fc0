import Foundation
import Testing
import WardenProtocol
import WardenService

/// Memory is changed by one reducer from the changes a batch committed, and it is
/// read from the database at start. The two must agree: after a scenario that makes
/// every kind of change, each read answers the same before and after a restart.
@Suite struct ReducerFidelityTests {
    static let reads = [
        "USER LIST", "ROLE LIST", "SYSTEM LIST", "KEY LIST", "APIKEY LIST bob",
        "ROLE SHOW sales", "ROLE SHOW lead", "SYSTEM SHOW crm", "SYSTEM SHOW wiki",
        "WHO crm", "WHO wiki", "WHO warden",
        "CHECK anna crm read", "CHECK anna crm write", "CHECK anna wiki edit",
        "CHECK bob crm read", "CHECK carol crm read", "CHECK frank crm read",
        "AUDIT VERIFY",
    ] + ["admin", "anna", "bob", "carol", "dave", "erin", "frank"].flatMap { ["USER SHOW \($0)", "ACCESS \($0)"] }

    @Test func everyReadAnswersTheSameAfterARestart() async throws {
        let (root, lines, before, daveCode, erinCode) = try await Self.scenario()
        let restarted = try await ServiceHarness.start(in: root)
        defer { restarted.stop() }
        var again = try await restarted.session(as: "admin", password: ServiceHarness.adminPassword)
        var after: [String] = []
        for line in lines { after.append(try await restarted.send(line, on: &again)) }
        // The admin's own login is the one change since: its last-login and the
        // audit chain move on.
        for (index, line) in lines.enumerated() where !["USER SHOW admin", "AUDIT VERIFY"].contains(line) {
            #expect(before[index] == after[index], "\(line) answers otherwise after a restart")
        }
        // Invites are in memory too: the one still open works, the used one does not.
        var hires = Session(source: "127.0.0.1")
        #expect(try await restarted.send("ACTIVATE dave \(daveCode) Dave-Password-1", on: &hires).hasPrefix("OK"))
        #expect(try await restarted.send("ACTIVATE erin \(erinCode) Erin-Password-2", on: &hires).hasPrefix("ERR AUTH-FAILED"))
    }

    /// Runs the scenario on a new service, reads everything, and shuts it down,
    /// leaving its data directory.
    static func scenario() async throws -> (root: String, reads: [String], replies: [String], daveCode: String, erinCode: String) {
        let harness = try await ServiceHarness.start()
        defer { harness.service.shutdown() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        func run(_ line: String) async throws -> String {
            let reply = try await harness.send(line, on: &admin)
            #expect(reply.hasPrefix("OK"), "\(line): \(reply)")
            return reply
        }
        for line in [
            "SYSTEM ADD crm permissions=read,write", "SYSTEM ADD wiki", "SYSTEM SET wiki description=\"Team wiki\"",
            "SYSTEM ADD scratch", "SYSTEM DELETE scratch",
            "ROLE ADD sales", "ROLE GRANT sales crm read", "ROLE GRANT sales crm write", "ROLE REVOKE sales crm write",
            "ROLE ADD lead", "ROLE INCLUDE lead sales", "ROLE ADD gone", "ROLE INCLUDE gone sales",
            "ROLE EXCLUDE gone sales", "ROLE DELETE gone",
            "USER ADD anna password=Anna-Password-1 name=\"Anna A\"", "USER SET anna name=\"Anna B\" email=anna@example.com",
            "USER ADD bob kind=service", "USER ADD carol password=Carol-Password-1", "USER ADD dave", "USER ADD erin",
            "USER ADD frank", "GRANT frank sales", "USER DELETE frank",
            "GRANT anna lead", "GRANT anna wiki edit for=1h", "GRANT carol crm read", "REVOKE carol crm read",
            "GRANT carol sales", "GRANT carol wiki edit", "REVOKE carol *", "GRANT carol lead", "GRANT bob sales",
            "USER DISABLE carol", "USER ENABLE carol", "USER PASSWD anna Anna-Password-2",
        ] { _ = try await run(line) }

        let annaToken = try Self.field("token", of: try await run("LOGIN anna Anna-Password-2"))
        var stranger = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH carol Wrong-Password-0", on: &stranger) == "ERR AUTH-FAILED authentication failed")
        let bobToken = try Self.field("token", of: try await run("TOKEN ISSUE bob aud=crm"))
        let revokedToken = try Self.field("token", of: try await run("TOKEN ISSUE bob"))
        _ = try await run("TOKEN REVOKE \(revokedToken)")
        _ = try await run("APIKEY CREATE bob")
        let droppedKey = try Self.field("id", of: try await run("APIKEY CREATE bob"))
        _ = try await run("APIKEY REVOKE bob \(droppedKey)")
        _ = try await run("KEY ROTATE")
        let daveCode = try Self.field("code", of: try await run("USER INVITE dave"))
        let erinCode = try Self.field("code", of: try await run("USER INVITE erin"))
        var newHire = Session(source: "127.0.0.1")
        #expect(try await harness.send("ACTIVATE erin \(erinCode) Erin-Password-1", on: &newHire).hasPrefix("OK"))
        _ = try await run("USER DISABLE bob")

        let tokenReads = [annaToken, bobToken, revokedToken].flatMap { ["VALIDATE \($0)", "VALIDATE \($0) crm read"] }
        var before: [String] = []
        for line in Self.reads + tokenReads { before.append(try await harness.send(line, on: &admin)) }
        #expect(before.contains { $0.contains("reason=revoked") } && before.contains { $0.contains("reason=disabled") })

        return (harness.root, Self.reads + tokenReads, before, daveCode, erinCode)
    }

    static func field(_ name: String, of reply: String) throws -> String {
        let part = reply.split(separator: " ").first { $0.hasPrefix("\(name)=") }
        return String(try #require(part).dropFirst(name.count + 1))
    }
}
