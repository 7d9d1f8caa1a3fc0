import Foundation
import Testing

/// Access reviews (SPEC §9) against the real server: the snapshot of a role's and a
/// system's grants, the reviewer's rights without `warden review`, nobody deciding their
/// own item, decisions changing until the close, the close revoking (each revocation a
/// `revoke` audit entry naming the review), closing by itself at the due date, bad input
/// refused unaudited, and the `review` permission on `warden-admin`, fresh or upgraded.
@Suite struct ReviewTests {
    static let password = "Review-Password-42"

    /// payroll (read, write); `clerk` (payroll read) included by `senior`; alice and carol
    /// hold clerk, bob senior, dave payroll write directly; carol reviews (no warden
    /// permission); erin held clerk for a second, expired before any review starts.
    static func server() throws -> WardenProcess {
        let server = try WardenProcess()
        try server.setUp([
            "SYSTEM ADD payroll permissions=read,write", "ROLE ADD clerk", "ROLE GRANT clerk payroll read",
            "ROLE ADD senior", "ROLE INCLUDE senior clerk",
        ] + ["alice", "bob", "carol", "dave", "erin"].map { "USER ADD \($0) password=\(password)" } + [
            "GRANT alice clerk", "GRANT bob senior", "GRANT carol clerk", "GRANT dave payroll write",
            "GRANT erin clerk for=1s",
        ])
        Thread.sleep(forTimeInterval: 1.2)
        return server
    }

    static func signIn(_ server: WardenProcess, _ user: String) throws -> LineConnection {
        let connection = try server.connect()
        try connection.ok("AUTH \(user) \(password)")
        return connection
    }

    /// The audit entries (all of them: the tests make few).
    static func audit(_ admin: LineConnection) throws -> [[String: String]] {
        try admin.ok("AUDIT limit=1000").rows
    }

    @Test func aRoleReviewCoversItsUnexpiredGrantsAndASystemReviewItsRolesAtAnyDepth() throws {
        let server = try Self.server()
        defer { server.stop() }
        let admin = try server.admin()
        try admin.ok("REVIEW START role=clerk reviewer=carol").expectFields(["review": "1", "items": "2"])
        try admin.ok("REVIEW START system=payroll reviewer=carol for=30d default=revoke").expectFields(["review": "2", "items": "4"])
        let roleItems = try admin.ok("REVIEW ITEMS 1").rows
        #expect(roleItems.map { $0["user"] ?? "" } == ["alice", "carol"], "erin's grant expired before the start")
        let items = try admin.ok("REVIEW ITEMS 2").rows
        #expect(items.map { "\($0["item"] ?? "") \($0["user"] ?? "") \($0["grant"] ?? "")" } == [
            "1 alice role:clerk", "2 bob role:senior", "3 carol role:clerk", "4 dave system:payroll:write",
        ])
        #expect(items.allSatisfy { $0["until"] == "never" && $0["decision"] == "none" && $0["by"] == "none" && $0["reason"] == "" })
        let list = try admin.ok("REVIEW LIST").rows
        #expect(list.map { $0["scope"] ?? "" } == ["role:clerk", "system:payroll"])
        #expect(list.allSatisfy { $0["reviewer"] == "carol" && $0["status"] == "open" })
        #expect(list[1]["decided"] == "0/4")
        let shown = try admin.ok("REVIEW SHOW 2").fields
        #expect(shown["review"] == "2" && shown["scope"] == "system:payroll" && shown["status"] == "open" && shown["decided"] == "0/4")
        #expect(shown["due"] == list[1]["due"] && shown["default"] == "revoke")
        let due = try #require(shown["due"].flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(abs(due.timeIntervalSinceNow - 30 * 86_400) < 120)
    }

    @Test func theReviewerDecidesButNeverTheirOwnItemAndTheCloseRevokes() throws {
        let server = try Self.server()
        defer { server.stop() }
        let admin = try server.admin()
        try admin.ok("REVIEW START system=payroll reviewer=carol default=revoke")
        try admin.ok("REVIEW START role=senior reviewer=alice")
        let carol = try Self.signIn(server, "carol")
        // The reviewer sees their reviews without warden review, and only those.
        #expect(try carol.ok("REVIEW LIST").rows.map { $0["review"] ?? "" } == ["1"])
        try carol.ok("REVIEW SHOW 1")
        #expect(try carol.ok("REVIEW ITEMS 1").count == 4)
        try carol.expectError("FORBIDDEN", "REVIEW SHOW 2")
        try carol.expectError("FORBIDDEN", "REVIEW ITEMS 2")
        // Nobody decides an item about their own grant (item 3 is carol's clerk).
        try carol.expectError("FORBIDDEN", "REVIEW DECIDE 1 3 keep")
        // Decisions change until the close.
        try carol.ok("REVIEW DECIDE 1 1 keep").expectFields(["review": "1", "item": "1", "decision": "keep"])
        try carol.ok("REVIEW DECIDE 1 1 revoke reason=\"moved to sales\"").expectFields(["decision": "revoke"])
        try carol.ok("REVIEW DECIDE 1 4 KEEP reason=\"payroll lead\"")
        let decided = try carol.ok("REVIEW ITEMS 1 decided=yes").rows
        #expect(decided.map { "\($0["item"] ?? "") \($0["decision"] ?? "") \($0["by"] ?? "") \($0["reason"] ?? "")" } == [
            "1 revoke carol moved to sales", "4 keep carol payroll lead",
        ])
        #expect(try carol.ok("REVIEW ITEMS 1 decided=no").rows.map { $0["item"] ?? "" } == ["2", "3"])
        #expect(try carol.ok("REVIEW SHOW 1").value("decided") == "2/4")
        // Someone neither the reviewer nor a holder of review: nothing to see or decide.
        let bob = try Self.signIn(server, "bob")
        #expect(try bob.ok("REVIEW LIST").count == 0)
        try bob.expectError("FORBIDDEN", "REVIEW SHOW 1")
        try bob.expectError("FORBIDDEN", "REVIEW DECIDE 1 1 keep")
        // Starting and closing need warden review, the reviewer's own review included.
        try carol.expectError("FORBIDDEN", "REVIEW START role=clerk reviewer=carol")
        try carol.expectError("FORBIDDEN", "REVIEW CLOSE 1")
        // default=revoke: bob's and carol's undecided grants go with alice's; dave's stays.
        try admin.ok("REVIEW CLOSE 1").expectFields(["review": "1", "kept": "1", "revoked": "3"])
        for user in ["alice", "bob", "carol"] {
            try admin.ok("CHECK \(user) payroll read").expectFields(["reason": "no-grant"])
        }
        #expect(try admin.ok("CHECK dave payroll write").final.hasPrefix("OK ALLOW"))
        try admin.ok("REVIEW SHOW 1").expectFields(["status": "closed", "kept": "1", "revoked": "3"])
        // Closed: no more decisions, no second close.
        try admin.expectError("CONFLICT", "REVIEW DECIDE 1 1 keep")
        try carol.expectError("CONFLICT", "REVIEW DECIDE 1 2 keep")
        try admin.expectError("CONFLICT", "REVIEW CLOSE 1")
        #expect(try admin.ok("REVIEW LIST status=closed").rows.map { $0["review"] ?? "" } == ["1"])
        #expect(try admin.ok("REVIEW LIST status=open").rows.map { $0["review"] ?? "" } == ["2"])

        // The evidence: every start, decision, close, refusal and revocation is audited.
        let entries = try Self.audit(admin)
        func count(_ action: String, _ result: String = "ok") -> Int {
            entries.filter { $0["action"] == action && $0["result"] == result }.count
        }
        #expect(count("review.start") == 2 && count("review.decide") == 3 && count("review.close") == 1)
        #expect(count("review.decide", "denied") == 2, "carol's own item and bob's")
        #expect(count("review.show", "denied") == 2 && count("review.items", "denied") == 1, "carol's and bob's look, carol's items")
        #expect(count("review.start", "denied") == 1 && count("review.close", "denied") == 1)
        let revocations = entries.filter { $0["action"] == "revoke" && ($0["detail"] ?? "").contains("review=1") }
        #expect(revocations.map { "\($0["actor"] ?? "") \($0["target"] ?? "") \($0["detail"] ?? "")" } == [
            "admin alice role:clerk review=1 item=1", "admin bob role:senior review=1 item=2", "admin carol role:clerk review=1 item=3",
        ])
        let close = try #require(entries.last { $0["action"] == "review.close" })
        #expect(close["detail"] == "review=1 kept=1 revoked=3" && close["target"] == "system:payroll")
        #expect(try admin.ok("AUDIT target=alice").rows.contains { $0["action"] == "review.decide" && $0["detail"]?.contains("moved to sales") == true })
        try admin.ok("AUDIT VERIFY")
    }

    @Test func badInputIsRefusedChangesNothingAndIsNotAudited() throws {
        let server = try Self.server()
        defer { server.stop() }
        let admin = try server.admin()
        try admin.ok("USER DISABLE erin")
        try admin.ok("REVIEW START role=clerk reviewer=carol")
        let before = try #require(try admin.ok("AUDIT VERIFY").value("entries"))
        let refusals: [(String, String)] = [
            ("NOT-FOUND", "REVIEW START role=nosuch reviewer=carol"),
            ("NOT-FOUND", "REVIEW START system=nosuch reviewer=carol"),
            ("NOT-FOUND", "REVIEW START role=clerk reviewer=nobody"),
            ("INVALID", "REVIEW START role=clerk reviewer=erin"),
            ("INVALID", "REVIEW START role=clerk reviewer=carol due=2020-01-01T00:00:00Z"),
            ("INVALID", "REVIEW START role=clerk reviewer=carol for=366d"),
            ("INVALID", "REVIEW START role=clerk reviewer=carol for=soon"),
            ("INVALID", "REVIEW START role=clerk reviewer=carol default=maybe"),
            ("INVALID", "REVIEW START role=Bad/Name reviewer=carol"),
            ("SYNTAX", "REVIEW START role=clerk system=payroll reviewer=carol"),
            ("SYNTAX", "REVIEW START role=clerk"),
            ("SYNTAX", "REVIEW START role=clerk reviewer=carol due=2030-01-01T00:00:00Z for=1d"),
            ("NOT-FOUND", "REVIEW SHOW 99"), ("INVALID", "REVIEW SHOW x"), ("INVALID", "REVIEW SHOW 0"),
            ("NOT-FOUND", "REVIEW ITEMS 99"), ("INVALID", "REVIEW ITEMS 1 decided=maybe"),
            ("INVALID", "REVIEW LIST status=pending"),
            ("NOT-FOUND", "REVIEW DECIDE 99 1 keep"), ("NOT-FOUND", "REVIEW DECIDE 1 99 keep"),
            ("INVALID", "REVIEW DECIDE 1 1 maybe"), ("INVALID", "REVIEW DECIDE 1 x keep"),
            ("NOT-FOUND", "REVIEW CLOSE 99"), ("SYNTAX", "REVIEW"), ("UNKNOWN-COMMAND", "REVIEW NOPE"),
        ]
        for (code, line) in refusals { try admin.expectError(code, line) }
        #expect(try admin.ok("AUDIT VERIFY").value("entries") == before, "bad input is not audited")
        #expect(try admin.ok("REVIEW LIST").count == 1)
        #expect(try admin.ok("REVIEW ITEMS 1 decided=yes").count == 0)
    }

    /// Reviewing warden permissions can take them away: it needs holding them, as REVOKE does.
    @Test func reviewingWardenPermissionsNeedsHoldingThem() throws {
        let server = try Self.server()
        defer { server.stop() }
        try server.setUp(["GRANT bob warden review"])
        let bob = try Self.signIn(server, "bob")
        try bob.expectError("FORBIDDEN", "REVIEW START role=warden-admin reviewer=carol")
        try bob.expectError("FORBIDDEN", "REVIEW START system=warden reviewer=carol")
        try bob.ok("REVIEW START role=clerk reviewer=carol").expectFields(["items": "2"])
    }

    @Test func aReviewClosesByItselfAtItsDueDate() throws {
        let server = try Self.server()
        defer { server.stop() }
        let admin = try server.admin()
        try admin.ok("REVIEW START role=clerk reviewer=bob for=2s default=revoke")
        let bob = try Self.signIn(server, "bob")
        try bob.ok("REVIEW DECIDE 1 2 keep reason=\"still on payroll\"")
        // Upkeep ticks every 5 s: a bounded wait for the close.
        var shown = try admin.ok("REVIEW SHOW 1")
        let deadline = Date().addingTimeInterval(20)
        while shown.value("status") != "closed", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            shown = try admin.ok("REVIEW SHOW 1")
        }
        shown.expectFields(["status": "closed", "kept": "1", "revoked": "1"])
        try bob.expectError("CONFLICT", "REVIEW DECIDE 1 1 keep")
        try admin.ok("CHECK alice payroll read").expectFields(["reason": "no-grant"])
        #expect(try admin.ok("CHECK carol payroll read").final.hasPrefix("OK ALLOW"))
        let entries = try Self.audit(admin)
        let revocation = try #require(entries.first { $0["action"] == "revoke" && $0["target"] == "alice" })
        #expect(revocation["actor"] == "warden" && revocation["detail"] == "role:clerk review=1 item=1")
        let closes = entries.filter { $0["action"] == "review.close" }
        #expect(closes.count == 1 && closes.first?["actor"] == "warden")
        #expect(closes.first?["detail"]?.hasPrefix("review=1 kept=1 revoked=1") == true)
    }

    /// Reviews are in the store: after a restart (memory rebuilt from the database
    /// alone) every read answers the same, and the review closes as before.
    @Test func reviewsSurviveARestart() throws {
        let first = try Self.server()
        defer { first.removeData() }
        let admin = try first.admin()
        try admin.ok("REVIEW START system=payroll reviewer=carol default=revoke")
        try admin.ok("REVIEW START role=clerk reviewer=bob")
        try admin.ok("REVIEW DECIDE 1 1 keep reason=\"team \\\"A\\\"\"")
        try admin.ok("REVIEW DECIDE 1 4 revoke")
        try admin.ok("REVIEW CLOSE 2")
        let reads = ["REVIEW LIST", "REVIEW SHOW 1", "REVIEW SHOW 2", "REVIEW ITEMS 1", "REVIEW ITEMS 2"]
        let before = try reads.map { try admin.ok($0).description }
        first.terminate()
        let second = try WardenProcess(dataDirectory: first.dataDirectory)
        defer { second.terminate() }
        let again = try second.admin()
        #expect(try reads.map { try again.ok($0).description } == before)
        #expect(try again.ok("REVIEW ITEMS 1").rows.first?["reason"] == "team \"A\"")
        try again.ok("REVIEW CLOSE 1").expectFields(["kept": "1", "revoked": "3"])
        try again.expectError("CONFLICT", "REVIEW CLOSE 2")
        try again.ok("REVIEW START role=senior reviewer=carol").expectFields(["review": "3"])
    }

    @Test func warden_adminHoldsReviewOnAFreshDatabase() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let admin = try server.admin()
        try admin.ok("CHECK admin warden review").expectFields(["via": "role:warden-admin"])
        #expect(try admin.ok("SYSTEM SHOW warden").value("permissions")?.split(separator: ",").contains("review") == true)
    }

    /// A database from before access reviews gains the permission, on warden-admin, when
    /// this version opens it.
    @Test func anUpgradedDatabaseGainsReviewOnWarden_admin() throws {
        let first = try WardenProcess()
        try first.setUp(["USER ADD ops password=\(Self.password)", "GRANT ops warden-admin"])
        first.terminate()
        defer { first.removeData() }
        try Self.rollBackReviews(of: first.dataDirectory)
        let upgraded = try WardenProcess(dataDirectory: first.dataDirectory)
        defer { upgraded.terminate() }
        let admin = try upgraded.admin()
        try admin.ok("CHECK ops warden review").expectFields(["via": "role:warden-admin"])
        let ops = try Self.signIn(upgraded, "ops")
        try ops.ok("REVIEW START system=warden reviewer=admin").expectFields(["review": "1", "items": "2"])
    }

    /// Makes the database as it was before schema 0007 (SQLite) or 0004 (PostgreSQL):
    /// what the later migrations add (SCIM's columns, 0008 / 0005) goes too.
    static func rollBackReviews(of dataDirectory: URL) throws {
        let drop = """
            DELETE FROM role_entitlements WHERE system = 'warden' AND permission = 'review';
            DELETE FROM system_permissions WHERE system = 'warden' AND permission = 'review';
            DROP TABLE review_items; DROP TABLE reviews;
            ALTER TABLE users DROP COLUMN external_id; ALTER TABLE users DROP COLUMN modified_ms;
            ALTER TABLE roles DROP COLUMN external_id;
            """
        if let server = TestPostgres.server, TestBackend.current == .postgres {
            let database = server.database(named: e2eDatabaseName(dataDirectory))
            try database.psql(drop + " DELETE FROM schema_migrations WHERE version >= 4;")
            #expect(try database.psql("SELECT count(*) FROM role_entitlements WHERE permission = 'review'") == "0")
        } else {
            let file = try SQLiteFile(dataDirectory: dataDirectory)
            try file.execute(drop + " DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6;")
        }
    }

    /// The database `WardenProcess` gives a data directory on PostgreSQL (its naming rule).
    static func e2eDatabaseName(_ dataDirectory: URL) -> String {
        "e2e_" + String(dataDirectory.lastPathComponent.utf8.reduce(UInt64(14_695_981_039_346_656_037)) {
            ($0 ^ UInt64($1)) &* 1_099_511_628_211
        }, radix: 36)
    }
}
