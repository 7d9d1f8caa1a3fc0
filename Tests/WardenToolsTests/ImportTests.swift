import Foundation
import Testing

/// `warden import` (SPEC §5) against a real server: the whole file is checked before
/// anything changes, and importing the same file again changes nothing.
@Suite struct ImportTests {
    /// Roles and systems the files below refer to.
    static let catalog = [
        "SYSTEM ADD crm permissions=read,write",
        "SYSTEM ADD wiki",
        "ROLE ADD staff", "ROLE GRANT staff wiki read",
        "ROLE ADD engineering", "ROLE GRANT engineering wiki edit",
        "ROLE ADD sales", "ROLE GRANT sales crm write",
    ]

    static func startServer() throws -> WardenProcess {
        let server = try WardenProcess()
        try server.setUp(catalog)
        return server
    }

    static func write(_ text: String, in directory: URL, name: String = "users.csv") throws -> URL {
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func aThousandRowsAreImportedAndASecondRunChangesNothing() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            var csv = "username,name,email,roles,entitlements\r\n"
            for index in 1...1000 {
                let role = index % 2 == 0 ? "engineering" : "sales"
                csv += "u\(index),\"Last\(index), First\",u\(index)@example.com,staff;\(role),\(index % 10 == 0 ? "crm:read" : "")\r\n"
            }
            let file = try ImportTests.write(csv, in: directory)
            let first = try warden(["import", file.path], server: server)
            #expect(first.status == 0, "\(first)")
            #expect(first.stderr.contains("1000 rows: 1000 created, 0 updated, 0 unchanged, 0 failed"), "\(first)")

            let admin = try server.admin()
            #expect(try admin.send("USER SHOW u10").final.contains(#"name="Last10, First" email=u10@example.com"#))
            let access = try admin.send("ACCESS u10")
            #expect(access.data == [
                "system=crm permission=read via=direct until=never",
                "system=wiki permission=edit via=role:engineering until=never",
                "system=wiki permission=read via=role:staff until=never",
            ], "\(access)")
            #expect(try admin.send("USER LIST prefix=u").final == "OK count=1000")

            let second = try warden(["import", file.path], server: server)
            #expect(second.status == 0, "\(second)")
            #expect(second.stderr.contains("1000 rows: 0 created, 0 updated, 1000 unchanged, 0 failed"), "\(second)")
        }
    }

    /// Rows of users the server lacks are created without being read; the others are
    /// read and updated. Over three connections, in chunks, each row's requests stay
    /// in order (a `GRANT` after its `USER ADD`) and every reply is matched to its row.
    @Test func existingAndNewUsersMixedOverThreeConnections() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try server.setUp((1...300).map { "USER ADD m\($0 * 3) name=Old" })
        try withTemporaryDirectory { directory in
            var csv = "username,name,email,roles,entitlements\n"
            for index in 1...900 {
                let roles = ["staff", "staff;engineering", "staff;sales;engineering"][index % 3]
                csv += "m\(index),New \(index),,\(roles),\(index % 7 == 0 ? "crm:read" : "")\n"
            }
            let file = try ImportTests.write(csv, in: directory)
            let result = try warden(["import", "--connections", "3", file.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("900 rows: 600 created, 300 updated, 0 unchanged, 0 failed"), "\(result)")

            let admin = try server.admin()
            #expect(try admin.send("USER SHOW m300").final.contains(#"name="New 300""#), "an existing user's name is updated")
            #expect(try admin.send("ACCESS m304").data == [
                "system=wiki permission=edit via=role:engineering until=never",
                "system=wiki permission=read via=role:staff until=never",
            ])
            #expect(try admin.send("WHO crm read").data.count == 900 / 7)
            #expect(try admin.send("WHO crm write").data.count == 300, "every third row has sales")
            #expect(try admin.send("WHO wiki read").data.count == 900)

            let again = try warden(["import", "--connections", "3", file.path], server: server)
            #expect(again.stderr.contains("900 rows: 0 created, 0 updated, 900 unchanged, 0 failed"), "\(again)")
        }
    }

    @Test func aFileWithBadRowsChangesNothingAndNamesEveryBadLine() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let csv = """
                username,name,email,roles,entitlements,until
                good1,"Good, One",good1@example.com,staff,,
                Bad Name,Bad,bad@example.com,staff,,
                good2,Good Two,good2@example.com,sales,crm:read,2099-01-01T00:00:00Z
                good1,Again,again@example.com,staff,,
                norole,No Role,norole@example.com,staff;managers,,
                badtime,Bad Time,badtime@example.com,staff,,next tuesday
                short,Short
                nosystem,No System,nosystem@example.com,,erp:read,
                noperm,No Permission,noperm@example.com,,crm:delete,
                stray,Str"ay,stray@example.com,staff,,
                token,Reserved,token@example.com,staff,,
                past,Past,past@example.com,staff,,2001-01-01T00:00:00Z
                bademail,Bad Email,not-an-address,staff,,

                """
            let file = try ImportTests.write(csv, in: directory)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 1, "\(result)")
            for line in [3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] {
                #expect(result.stderr.contains("users.csv:\(line): "), "line \(line) not reported: \(result)")
            }
            #expect(!result.stderr.contains("users.csv:2:"))
            #expect(!result.stderr.contains("users.csv:4:"))
            #expect(result.stderr.contains("appears again (first on line 2)"))
            #expect(result.stderr.contains("role managers does not exist"))
            #expect(result.stderr.contains("system erp does not exist"))
            #expect(result.stderr.contains("system crm has no permission delete"))
            #expect(result.stderr.contains("11 bad row(s); nothing was changed"), "\(result)")

            let admin = try server.admin()
            #expect(try admin.send("USER SHOW good1").errorCode == "NOT-FOUND")
            #expect(try admin.send("USER SHOW good2").errorCode == "NOT-FOUND")
            #expect(try admin.send("USER LIST").final == "OK count=1")
        }
    }

    @Test func aDryRunPrintsTheRequestsAndChangesNothing() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD erin name=Erin email=old@example.com", "GRANT erin staff"])
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("""
                username,name,email,roles
                erin,Erin,erin@example.com,staff;sales
                frank,Frank F,frank@example.com,engineering
                """, in: directory)
            let result = try warden(["import", "--dry-run", file.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutLines == [
                "# line 2: update erin (email, +role:sales)",
                "USER SET erin email=erin@example.com",
                "GRANT erin sales",
                "# line 3: create frank",
                "USER ADD frank name=\"Frank F\" email=frank@example.com",
                "GRANT frank engineering",
            ], "\(result)")
            #expect(result.stderr.contains("would create 1, update 1; 0 unchanged; nothing was changed"))

            let admin = try server.admin()
            #expect(try admin.send("USER SHOW frank").errorCode == "NOT-FOUND")
            #expect(try admin.send("USER SHOW erin").final.contains("email=old@example.com"))
        }
    }

    @Test func anExistingUserGetsNewValuesAndGrantsAndKeepsTheRest() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD gina name=Gina email=gina@old.example", "GRANT gina engineering"])
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("""
                username,name,email,roles,until
                GINA,Gina G,,sales,2099-06-01T12:00:00Z
                """, in: directory)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("1 rows: 0 created, 1 updated, 0 unchanged, 0 failed"), "\(result)")
            let admin = try server.admin()
            // An empty email cell leaves the email alone.
            #expect(try admin.send("USER SHOW gina").final.contains(#"name="Gina G" email=gina@old.example"#))
            #expect(try admin.send("ACCESS gina").data == [
                "system=crm permission=write via=role:sales until=2099-06-01T12:00:00Z",
                "system=wiki permission=edit via=role:engineering until=never",
            ])
        }
    }

    @Test func invitesOfNewUsersGoToAFileOfMode0600ThatActivates() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD hank"])
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("""
                username,name,email,roles
                hank,Hank,hank@example.com,staff
                ivy,Ivy,ivy@example.com,staff
                """, in: directory)
            let invites = directory.appendingPathComponent("invites.csv")
            let result = try warden(["import", "--invites", invites.path, file.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(try fileMode(invites) == 0o600)
            let lines = try String(contentsOf: invites, encoding: .utf8).split(separator: "\n").map(String.init)
            try #require(lines.count == 2, "\(lines)")
            #expect(lines[0] == "username,code,expires")
            let fields = lines[1].split(separator: ",").map(String.init)
            #expect(fields.first == "ivy")
            #expect(fields.count == 3)

            let activation = try LineConnection(port: server.linePort).send("ACTIVATE ivy \(fields[1]) Correct-Horse-Battery-9")
            #expect(activation.isOK, "\(activation)")

            let again = try warden(["import", "--invites", invites.path, file.path], server: server)
            #expect(again.status == 0, "\(again)")
            #expect(try String(contentsOf: invites, encoding: .utf8).split(separator: "\n").count == 2)
        }
    }

    @Test func aWiderExistingInvitesFileIsNarrowedTo0600() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("username,name,email,roles\njack,Jack,jack@example.com,staff\n", in: directory)
            let invites = directory.appendingPathComponent("invites.csv")
            _ = FileManager.default.createFile(atPath: invites.path, contents: nil, attributes: [.posixPermissions: 0o644])
            let result = try warden(["import", "--invites", invites.path, file.path], server: server)
            #expect(result.status == 0, "\(result)")
            #expect(try fileMode(invites) == 0o600)
        }
    }

    @Test func aFileWithoutTheRequiredColumnsIsRefused() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("username,email\nkim,kim@example.com\n", in: directory)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 1)
            #expect(result.stderr.contains("users.csv:1: missing column(s) name,roles"), "\(result)")
        }
    }

    @Test func aQuoteLeftOpenIsReportedAtTheLineItOpens() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = try ImportTests.write("username,name,email,roles\nlee,Lee,lee@example.com,staff\nmay,\"May,may@example.com,staff\nned,Ned,ned@example.com,staff\n", in: directory)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 1)
            #expect(result.stderr.contains("users.csv:3: a quoted field is never closed"), "\(result)")
            #expect(try server.admin().send("USER SHOW lee").errorCode == "NOT-FOUND")
        }
    }
}
