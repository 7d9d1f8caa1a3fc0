import Foundation
import Testing

/// SPEC §2.5: what the audit log records, and how `AUDIT` filters and orders it.
@Suite struct AuditLogTests {
    @Test func everyChangeIsAnEntryWithItsActorTargetAndResultOk() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["SYSTEM ADD wiki", "USER ADD alice name=\"Alice Archer\"", "GRANT alice wiki edit reason=\"writer\"",
                             "USER DISABLE alice"])
        let rows = try admin.send("AUDIT actor=admin").rows
        let aboutAlice = rows.filter { $0["target"] == "alice" }
        #expect(aboutAlice.count == 3, "\(rows)")
        for row in rows {
            #expect(Set(row.keys).isSuperset(of: ["seq", "time", "actor", "action", "target", "detail", "result"]), "\(row)")
            #expect(row["result"] == "ok")
            #expect(row["actor"] == "admin")
            #expect(row["time"].map(isRFC3339) == true)
        }
        // The grant's entry says what was granted.
        #expect(aboutAlice.contains { ($0["detail"] ?? "").contains("wiki") && ($0["detail"] ?? "").contains("edit") })
    }

    @Test func authAndLoginAttemptsAreAuditedAsOkOrFailed() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("USER ADD alice password=Correct-Horse-42")
        let alice = try server.connect()
        #expect(try alice.send("AUTH alice Wrong-Horse-42").errorCode == "AUTH-FAILED")
        #expect(try alice.send("AUTH alice Correct-Horse-42").isOK)
        #expect(try alice.send("LOGIN alice Wrong-Horse-42").errorCode == "AUTH-FAILED")
        #expect(try alice.send("LOGIN alice Correct-Horse-42").isOK)
        #expect(try server.connect().send("AUTH ghost Wrong-Horse-42").errorCode == "AUTH-FAILED")

        let attempts = try admin.send("AUDIT target=alice").rows.filter { $0["action"] != "user.add" }
        #expect(attempts.map { $0["result"] ?? "" } == ["failed", "ok", "failed", "ok"], "\(attempts)")
        let ghost = try admin.send("AUDIT target=ghost").rows
        #expect(ghost.map { $0["result"] ?? "" } == ["failed"], "\(ghost)")
    }

    @Test func denialsAreAuditedAsDenied() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let checker = try server.staff("checker", ["check"], admin: admin)
        #expect(try checker.send("USER DISABLE admin").errorCode == "FORBIDDEN")
        let rows = try admin.send("AUDIT actor=checker").rows
        #expect(rows.count == 2, "\(rows)") // the AUTH, then the denial
        #expect(rows.last?["result"] == "denied")
        #expect(rows.last?["target"] == "admin")
    }

    @Test func sinceSeqGivesTheEntriesAfterItOldestFirst() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript(["USER ADD a1", "USER ADD a2"])
        let mark = try #require(admin.send("AUDIT limit=1").rows.last?["seq"].flatMap { Int($0) })
        try admin.runScript(["USER ADD b1", "USER ADD b2", "USER ADD b3"])
        let rows = try admin.send("AUDIT since=\(mark)").rows
        #expect(rows.compactMap { $0["seq"].flatMap { Int($0) } } == [mark + 1, mark + 2, mark + 3])
        #expect(rows.compactMap { $0["target"] } == ["b1", "b2", "b3"])
    }

    @Test func sinceTimeGivesTheEntriesAtOrAfterIt() async throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.expectOK("USER ADD early")
        // Entries a second apart, so that a time between them is unambiguous.
        try await Task.sleep(for: .milliseconds(1_100))
        try admin.runScript(["USER ADD late1", "USER ADD late2"])
        let late1 = try #require(admin.send("AUDIT target=late1").rows.first)
        let time = try #require(late1["time"])
        let exact = try admin.send("AUDIT since=\(time)").rows
        #expect(exact.compactMap { $0["target"] } == ["late1", "late2"], "since=\(time) → \(exact)")
        // The same instant written without fractional seconds, if it had any.
        let wholeSecond = String(time.prefix(19)) + "Z"
        let whole = try admin.send("AUDIT since=\(wholeSecond)").rows
        #expect(whole.compactMap { $0["target"] } == ["late1", "late2"], "since=\(wholeSecond) → \(whole)")
    }

    @Test func actorAndTargetFiltersCombine() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let helpdesk = try server.staff("helpdesk", ["user-admin"], admin: admin)
        try admin.runScript(["USER ADD alice", "USER ADD bob"])
        try helpdesk.expectOK("USER SET alice name=\"Alice A\"")
        try helpdesk.expectOK("USER SET bob name=\"Bob B\"")
        let byHelpdesk = try admin.send("AUDIT actor=helpdesk").rows
        #expect(!byHelpdesk.isEmpty && byHelpdesk.allSatisfy { $0["actor"] == "helpdesk" })
        let aboutAlice = try admin.send("AUDIT target=alice").rows
        #expect(aboutAlice.count == 2 && aboutAlice.allSatisfy { $0["target"] == "alice" })
        let both = try admin.send("AUDIT actor=helpdesk target=alice").rows
        #expect(both.count == 1)
        #expect(both.first?["actor"] == "helpdesk" && both.first?["target"] == "alice")
    }

    @Test func withoutSinceTheLatestEntriesComeOldestFirstUpToTheLimit() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        try admin.runScript((0..<120).map { "USER ADD hire-\($0)" })
        let head = try #require(admin.send("AUDIT VERIFY").value("entries").flatMap { Int($0) })

        let latest = try admin.send("AUDIT limit=5")
        #expect(latest.final == "OK count=5")
        #expect(latest.rows.compactMap { $0["seq"].flatMap { Int($0) } } == Array(head - 4...head))

        let byDefault = try admin.send("AUDIT")
        #expect(byDefault.final == "OK count=100")
        #expect(byDefault.rows.compactMap { $0["seq"].flatMap { Int($0) } } == Array(head - 99...head))

        let first = try admin.send("AUDIT since=0 limit=3")
        #expect(first.rows.compactMap { $0["seq"].flatMap { Int($0) } } == [1, 2, 3])
    }

    @Test func auditVerifyCountsTheEntriesAndNamesTheHead() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        let before = try admin.send("AUDIT VERIFY")
        let entries = try #require(before.value("entries").flatMap { Int($0) })
        let head = try #require(before.value("head"))
        #expect(before.final == "OK entries=\(entries) head=\(head)")
        #expect(head.count == 64 && head.allSatisfy(\.isHexDigit))
        #expect(try admin.send("AUDIT limit=1").rows.last?["seq"] == String(entries))

        try admin.expectOK("USER ADD alice")
        let after = try admin.send("AUDIT VERIFY")
        #expect(after.value("entries") == String(entries + 1))
        #expect(after.value("head") != head)
    }
}
