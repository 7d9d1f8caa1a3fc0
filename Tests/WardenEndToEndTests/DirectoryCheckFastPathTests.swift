import Foundation
import Testing

/// `CHECK`'s plain form is answered by a path of its own (`CheckLine`,
/// `WardenService.answerCheck`). Every line here is sent plain, then with its names
/// quoted (which only the general parser takes), then pipelined behind a `PING` (which
/// queues it for the general path too): the three answers must be the same, and
/// refusals must still be audited.
@Suite struct DirectoryCheckFastPathTests {
    static let lines = [
        "CHECK alice crm view", "check alice crm view", "CHECK ALICE Crm VIEW", "CHECK   dave  payroll   approve  ",
        "CHECK dave wiki read", "CHECK erin payroll read", "CHECK mallory wiki read", "CHECK alice nosystem read",
        "CHECK heidi wiki publish", "CHECK frank crm view", "CHECK carol crm:view x", "CHECK alice crm",
        "CHECK alice crm view extra", "CHECK al!ce crm view", "CHECK -alice crm view", "CHECK alice crm vi=ew",
        "CHECK é crm view",
    ]

    /// The same request with its words quoted, for the general parser.
    static func quoted(_ line: String) -> String {
        line.split(separator: " ").enumerated().map { $0 == 0 ? String($1) : "\"\($1)\"" }.joined(separator: " ")
    }

    @Test func everyFormIsAnsweredAsTheGeneralPathAnswersIt() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT carol crm view for=1s")
        try admin.expectOK("USER DISABLE frank")
        Thread.sleep(forTimeInterval: 1.5)
        for line in Self.lines {
            let plain = try admin.send(line)
            let general = try admin.send(Self.quoted(line))
            let queued = try admin.pipeline(["PING", line])[1]
            #expect(plain.final == queued.final, "\(line): \(plain.final) alone, \(queued.final) behind PING")
            // Quoting changes what the general path reads only where a word is not a bare name.
            if !line.contains("=") {
                #expect(plain.final == general.final, "\(line): \(plain.final) plain, \(general.final) quoted")
            }
        }
        // The decisions themselves, so that agreement is not agreement on an error.
        #expect(try admin.send("CHECK ALICE Crm VIEW").final == "OK ALLOW via=role:sales")
        #expect(try admin.send("CHECK frank crm view").final == "OK DENY reason=disabled")
        #expect(try admin.send("CHECK mallory wiki read").final == "OK DENY reason=unknown-user")
        #expect(try admin.send("CHECK heidi wiki publish").final == "OK DENY reason=no-grant")
        #expect(try admin.send("CHECK carol crm view").final == "OK DENY reason=expired")
        #expect(try admin.send("CHECK al!ce crm view").errorCode == "INVALID")
    }

    @Test func aCallerWithoutCheckIsRefusedAndAuditedAndNoSessionIsNeeded() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let anonymous = try server.connect()
        #expect(try anonymous.send("CHECK alice crm view").errorCode == "NOAUTH")
        let erin = try server.connect()
        try erin.authenticate("erin", Company.password)
        #expect(try erin.send("CHECK alice crm view").errorCode == "FORBIDDEN")
        let denied = try admin.send("AUDIT actor=erin").rows.filter { $0["action"] == "check" && $0["result"] == "denied" }
        #expect(denied.count == 1)
        // Granted the right, the same connection is answered on the next line.
        try admin.expectOK("GRANT erin warden check")
        #expect(try erin.send("CHECK alice crm view").final == "OK ALLOW via=role:sales")
        // Disabled, the session ends at once, on the fast path too.
        try admin.expectOK("USER DISABLE erin")
        #expect(try erin.send("CHECK alice crm view").errorCode == "NOAUTH")
    }

    /// The fast path counts its answers under `CHECK` in `/metrics`, as the general path does.
    @Test func theFastPathsAnswersAreCountedAsCheck() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        for _ in 0..<5 { #expect(try admin.send("CHECK alice crm view").final == "OK ALLOW via=role:sales") }
        #expect(try admin.send("CHECK \"alice\" crm view").final == "OK ALLOW via=role:sales")
        let metrics = try httpRequest(port: server.httpPort, method: "GET", path: "/metrics").body
        #expect(metrics.contains("\nwarden_commands_total{command=\"CHECK\",result=\"ok\"} 6\n"), "\(metrics)")
        #expect(metrics.contains("\nwarden_command_duration_seconds_count{command=\"CHECK\"} 6\n"))
    }
}
