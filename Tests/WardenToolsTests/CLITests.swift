import Foundation
import Testing

/// `warden cli` (SPEC §5) against a real server: its three modes, `--json`, and its
/// exit statuses.
@Suite struct CLITests {
    @Test func oneShotJoinsTheWordsAndRequotesOnesWithSpacesOrQuotes() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let added = try warden(["cli", "USER", "ADD", "bob", "name=Bob \"the\" Smith", "email=bob@example.com"], server: server)
        #expect(added.status == 0, "\(added)")
        #expect(added.stdout == "OK user=bob\n")
        let shown = try server.admin().send("USER SHOW bob")
        #expect(shown.final.contains(#"name="Bob \"the\" Smith" email=bob@example.com"#), "\(shown)")
    }

    @Test func oneShotPrintsAListReplyWithItsDataLines() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "ROLE", "LIST"], server: server)
        #expect(result.status == 0)
        #expect(result.stdoutLines.first?.hasPrefix("* role=warden-admin ") == true, "\(result)")
        #expect(result.stdoutLines.last == "OK count=1")
    }

    @Test func anErrReplyExitsOne() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "USER", "SHOW", "nobody"], server: server)
        #expect(result.status == 1)
        #expect(result.stdout == "ERR NOT-FOUND no user nobody\n")
    }

    @Test func aWrongPasswordExitsTwoAndIsNeverPrinted() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let secret = "Not-The-Password-42"
        let result = try warden(["cli", "PING"], server: server, environment: ["WARDEN_PASSWORD": secret])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("authentication as admin failed"), "\(result)")
        #expect(!result.stderr.contains(secret))
    }

    @Test func noServerListeningExitsTwo() throws {
        // A port that was just free: nothing listens there.
        let server = try WardenProcess()
        let port = server.linePort
        server.stop()
        let result = try warden(["cli", "PING"], server: nil, environment: ["WARDEN_PORT": String(port)])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot connect to 127.0.0.1:\(port)"), "\(result)")
    }

    @Test func aUserWithoutAPasswordExitsTwoBeforeConnecting() throws {
        let result = try warden(["cli", "PING"], server: nil, environment: ["WARDEN_USER": "admin", "WARDEN_PORT": "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("neither WARDEN_PASSWORD nor --password-file"), "\(result)")
    }

    @Test func thePasswordMayComeFromAFile() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("password")
            try (WardenProcess.adminPassword + "\n").write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            let result = try warden(["cli", "--password-file", file.path, "HELLO"], server: server,
                                    environment: ["WARDEN_PASSWORD": "wrong-password-in-the-environment"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasSuffix("user=admin\n"))
        }
    }

    @Test func flagsWinOverTheVariables() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "--host", "127.0.0.1", "--port", String(server.linePort), "PING"], server: server,
                                environment: ["WARDEN_HOST": "192.0.2.1", "WARDEN_PORT": "1"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "OK PONG\n")
    }

    @Test func withoutAUserTheConnectionStaysUnauthenticated() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "HELLO"], server: nil, environment: ["WARDEN_PORT": String(server.linePort)])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("user=none\n"), "\(result)")
    }

    @Test func batchAnswersEveryLineInOrderAndNamesTheFailingLines() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let input = """
            USER ADD carol name="Carol C"
            USER SHOW nobody

            # a comment line is skipped
            USER SHOW carol
            GRANT carol no-such-role
            PING
            """
        let result = try warden(["cli"], server: server, stdin: input + "\n")
        #expect(result.status == 1, "\(result)")
        let lines = result.stdoutLines
        #expect(lines.count == 5, "\(result)")
        #expect(lines.first == "OK user=carol")
        #expect(lines[1] == "ERR NOT-FOUND no user nobody")
        #expect(lines[2].hasPrefix("OK user=carol name=\"Carol C\" "))
        #expect(lines[3].hasPrefix("ERR NOT-FOUND "))
        #expect(lines.last == "OK PONG")
        #expect(result.stderr.contains("line 2: ERR NOT-FOUND"))
        #expect(result.stderr.contains("line 6: ERR NOT-FOUND"))
        #expect(result.stderr.contains("line(s) 2,6"), "\(result)")
    }

    @Test func batchOfOnlyOKRepliesExitsZero() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let lines = (1...200).map { "USER ADD batch\($0)" } + ["USER LIST prefix=batch"]
        let result = try warden(["cli"], server: server, stdin: lines.joined(separator: "\n"))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutLines.last == "OK count=200")
        #expect(result.stderr.isEmpty)
    }

    @Test func batchRefusesAnOverlongLineWithoutLosingTheConnection() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let long = "PING " + String(repeating: "x", count: 17_000)
        let result = try warden(["cli"], server: server, stdin: "PING\n\(long)\nPING\n")
        #expect(result.status == 1)
        #expect(result.stdoutLines == ["OK PONG", "ERR TOO-LONG line longer than 16384 bytes; not sent", "OK PONG"], "\(result)")
        #expect(result.stderr.contains("line 2: ERR TOO-LONG"))
    }

    @Test func aConnectionLostMidBatchExitsTwoAndNamesTheUnansweredLine() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli"], server: server, stdin: "PING\nQUIT\nPING\n")
        #expect(result.status == 2, "\(result)")
        #expect(result.stdoutLines == ["OK PONG", "OK bye"])
        #expect(result.stderr.contains("line 3: no reply"), "\(result)")
    }

    @Test func jsonGivesOneObjectAReplyInTheDocumentedShape() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        try server.setUp(["USER ADD dana name=\"Dana D\""])
        let result = try warden(["cli", "--json"], server: server, stdin: "PING\nUSER SHOW dana\nUSER LIST\nUSER SHOW nobody\n")
        #expect(result.status == 1)
        let objects = try result.stdoutLines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        try #require(objects.count == 4, "\(result)")
        #expect(objects[0]["ok"] as? Bool == true)
        #expect(objects[0]["words"] as? [String] == ["PONG"])
        #expect((objects[0]["fields"] as? [String: String])?.isEmpty == true)
        #expect((objects[0]["data"] as? [Any])?.isEmpty == true)
        let fields = try #require(objects[1]["fields"] as? [String: String])
        #expect(fields["user"] == "dana")
        #expect(fields["name"] == "Dana D")
        #expect(fields["status"] == "active")
        let data = try #require(objects[2]["data"] as? [[String: String]])
        #expect(data.map { $0["user"] } == ["admin", "dana"])
        #expect((objects[2]["fields"] as? [String: String])?["count"] == "2")
        #expect(objects[3]["ok"] as? Bool == false)
        #expect(objects[3]["code"] as? String == "NOT-FOUND")
        #expect(objects[3]["message"] as? String == "no user nobody")
    }
}
