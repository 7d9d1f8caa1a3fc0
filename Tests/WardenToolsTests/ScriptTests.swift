import Foundation
import Testing

/// `scripts/onboard` and `scripts/offboard` (SPEC §5) end to end: bash over the
/// built `warden` binary (WARDEN_BIN) against a real server.
@Suite struct ScriptTests {
    static func startServer() throws -> WardenProcess {
        let server = try WardenProcess()
        try server.setUp(["SYSTEM ADD crm permissions=read,write", "ROLE ADD sales", "ROLE GRANT sales crm write",
                          "ROLE ADD support", "ROLE GRANT support crm read"])
        return server
    }

    /// `username,CODE,TIME` as onboard prints it.
    static func isInviteLine(_ line: String, user: String) -> Bool {
        let fields = line.split(separator: ",").map(String.init)
        return fields.count == 3 && fields[0] == user && fields[1].count == 32 && fields[2].hasSuffix("Z")
    }

    @Test func onboardingOneUserPrintsTheInviteCodeAndARerunChangesNothing() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        let arguments = ["olga", "--name", "Olga O'Neil, PhD", "--email", "olga@example.com", "--roles", "sales;support"]
        let first = try script("onboard", arguments, server: server)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdoutLines.first == "username,code,expires")
        #expect(first.stdoutLines.count == 2 && ScriptTests.isInviteLine(first.stdoutLines[1], user: "olga"), "\(first)")

        let admin = try server.admin()
        #expect(try admin.send("USER SHOW olga").final.contains(#"name="Olga O'Neil, PhD" email=olga@example.com"#))
        #expect(try admin.send("ACCESS olga").data.count == 2)

        let again = try script("onboard", arguments, server: server)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("0 created, 0 updated, 1 unchanged, 0 failed"), "\(again)")
    }

    @Test func onboardingACSVWritesTheCodesToAnInvitesFileOfMode0600() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let csv = directory.appendingPathComponent("hires.csv")
            try "username,name,email,roles\npia,Pia,pia@example.com,sales\nquinn,Quinn,quinn@example.com,support\n"
                .write(to: csv, atomically: true, encoding: .utf8)
            let invites = directory.appendingPathComponent("codes.csv")
            let result = try script("onboard", [csv.path, "--invites", invites.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(try fileMode(invites) == 0o600)
            let lines = try String(contentsOf: invites, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(ScriptTests.isInviteLine(lines[1], user: "pia"))
            #expect(ScriptTests.isInviteLine(lines[2], user: "quinn"))
        }
    }

    @Test func onboardingWithAnUnknownRoleFailsAndCreatesNobody() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        let result = try script("onboard", ["rita", "--name", "Rita", "--email", "rita@example.com", "--roles", "astronauts"], server: server)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("role astronauts does not exist"))
        #expect(try server.admin().send("USER SHOW rita").errorCode == "NOT-FOUND")
    }

    @Test(arguments: ["onboard", "offboard"])
    func helpExplainsUsage(name: String) throws {
        let result = try run(WardenProcess.packageRoot.appendingPathComponent("scripts/\(name)"), ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Usage: scripts/\(name) "), "\(result)")
    }

    @Test func offboardingSavesTheAccessDisablesKillsTokensAndIsSafeToRerun() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD sam kind=service", "GRANT sam sales", "GRANT sam crm read until=2099-01-01T00:00:00Z"])
        let admin = try server.admin()
        let token = try #require(admin.send("TOKEN ISSUE sam").value("token"))
        #expect(try admin.send("VALIDATE \(token)").final.hasPrefix("OK VALID "))
        try withTemporaryDirectory { directory in
            let result = try script("offboard", ["sam"], server: server, directory: directory)
            #expect(result.status == 0, "\(result)")
            let expected = [
                "* system=crm permission=read via=direct until=2099-01-01T00:00:00Z",
                "* system=crm permission=write via=role:sales until=never",
                "OK count=2",
            ]
            #expect(expected.allSatisfy(result.stdout.contains), "\(result)")

            let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
            let saved = directory.appendingPathComponent("offboard-sam-\(day).txt")
            let text = try String(contentsOf: saved, encoding: .utf8)
            #expect(text.split(separator: "\n").dropFirst().map(String.init) == expected, "\(text)")

            #expect(try admin.send("USER SHOW sam").final.contains("status=disabled"))
            #expect(try admin.send("VALIDATE \(token)").final == "OK INVALID reason=disabled")
            #expect(try admin.send("CHECK sam crm write").final == "OK DENY reason=disabled")

            let again = try script("offboard", ["sam"], server: server, directory: directory)
            #expect(again.status == 0, "\(again)")
            // The first record is kept; the re-run's goes next to it.
            #expect(try String(contentsOf: saved, encoding: .utf8) == text)
        }
    }

    @Test func offboardingWithDeleteRemovesTheUser() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD tom", "GRANT tom support"])
        try withTemporaryDirectory { directory in
            let result = try script("offboard", ["tom", "--delete"], server: server, directory: directory)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("OK user=tom deleted=true"))
            #expect(try server.admin().send("USER SHOW tom").errorCode == "NOT-FOUND")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.count == 1 && files[0].hasPrefix("offboard-tom-"), "\(files)")
        }
    }

    @Test func offboardingAnUnknownUserFailsAndSavesNothing() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let result = try script("offboard", ["nobody"], server: server, directory: directory)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("ERR NOT-FOUND"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }
}
