import Foundation
import Testing

/// SPEC §2, §2.1: the connection commands, the state before `AUTH`, and the framing
/// of lines and replies.
@Suite struct FoundationProtocolTests {
    @Test func helloNamesTheServerAndWhoIsAuthenticated() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        let before = try connection.send("HELLO")
        #expect(before.final.hasPrefix("OK server=warden version="))
        #expect(before.fields["proto"] == "1")
        #expect(before.fields["user"] == "none")
        #expect(before.fields["version"]?.isEmpty == false)
        try connection.authenticate("admin", WardenProcess.adminPassword)
        let after = try connection.send("HELLO")
        #expect(after.final == before.final.replacingOccurrences(of: "user=none", with: "user=admin"))
    }

    @Test func pingAnswersPong() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        #expect(try server.connect().send("PING").final == "OK PONG")
        #expect(try server.admin().send("ping").final == "OK PONG")
    }

    @Test func aWrongPasswordAndAnUnknownUserGetTheSameReply() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        let wrongPassword = try connection.send("AUTH admin Not-The-Password-1")
        let unknownUser = try connection.send("AUTH nobody-here Not-The-Password-1")
        #expect(wrongPassword.errorCode == "AUTH-FAILED")
        #expect(unknownUser.final == wrongPassword.final)
        #expect(try connection.send("HELLO").fields["user"] == "none")
    }

    /// Every command that is not accepted before `AUTH`, unknown ones included.
    static let afterAuthOnly = [
        "PASSWD Old-Password-1 New-Password-2",
        "USER ADD zed", "USER SET admin name=\"x\"", "USER PASSWD admin Another-Pass-9", "USER SHOW admin",
        "USER LIST", "USER DISABLE admin", "USER ENABLE admin", "USER DELETE admin", "USER INVITE zed",
        "SYSTEM ADD erp", "SYSTEM SET erp description=x", "SYSTEM SHOW warden", "SYSTEM LIST", "SYSTEM DELETE erp",
        "ROLE ADD r", "ROLE SHOW warden-admin", "ROLE LIST", "ROLE DELETE r", "ROLE GRANT r warden audit",
        "ROLE REVOKE r warden audit", "ROLE INCLUDE r warden-admin", "ROLE EXCLUDE r warden-admin",
        "GRANT zed warden-admin", "REVOKE admin *", "CHECK admin warden audit", "ACCESS admin", "WHO warden",
        "TOKEN ISSUE admin", "TOKEN REVOKE abc", "VALIDATE abc", "KEY ROTATE", "KEY LIST",
        "APIKEY CREATE admin", "APIKEY LIST admin", "APIKEY REVOKE admin 1", "AUDIT", "AUDIT VERIFY",
        "FROB", "USER FROB", "USER", "SHUTDOWN now",
    ]

    @Test func everyCommandButTheConnectionOnesNeedsAuthentication() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        for line in Self.afterAuthOnly {
            let reply = try connection.send(line)
            #expect(reply.errorCode == "NOAUTH", "\(line) → \(reply)")
            #expect(reply.data.isEmpty)
        }
        // Nothing was done meanwhile.
        let admin = try server.admin()
        #expect(try admin.send("USER LIST").final == "OK count=1")
        #expect(try admin.send("KEY LIST").final == "OK count=1")
    }

    @Test func helpListsCommandsBeforeAuthentication() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let reply = try server.connect().send("HELP")
        let count = try #require(reply.count)
        #expect(reply.final == "OK count=\(count)")
        #expect(count == reply.data.count)
        #expect(count >= 40)
        let described = reply.data.joined(separator: "\n")
        for command in ["AUTH", "USER ADD", "GRANT", "CHECK", "AUDIT VERIFY", "KEY ROTATE"] {
            #expect(described.contains(command), "HELP does not mention \(command)")
        }
    }

    @Test func helpForOneCommandIsAListToo() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let reply = try server.connect().send("HELP GRANT")
        #expect(reply.count == reply.data.count)
        #expect(reply.data.count >= 1)
        #expect(reply.data.allSatisfy { $0.contains("GRANT") })
    }

    @Test func quitSaysByeAndTheServerCloses() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        #expect(try connection.send("QUIT").final == "OK bye")
        #expect(connection.isClosedByServer(within: 5))
    }

    @Test func anEmptyLineGetsNoReply() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        try connection.write("\n\r\n\nPING\n\nHELLO\n")
        #expect(try connection.readReply().final == "OK PONG")
        #expect(try connection.readReply().final.hasPrefix("OK server=warden "))
        // Had an empty line been answered, this would read that stale reply.
        #expect(try connection.send("PING").final == "OK PONG")
    }

    @Test func aCarriageReturnBeforeTheLineFeedIsDropped() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        // The password is the last word: a CR left on it would make AUTH fail.
        try connection.write("AUTH admin \(WardenProcess.adminPassword)\r\n")
        #expect(try connection.readReply().final == "OK user=admin")
        try connection.write("CHECK admin warden audit\r\n")
        #expect(try connection.readReply().final == "OK ALLOW via=role:warden-admin")
    }

    @Test func fiveHundredPipelinedRequestsAreAnsweredInOrder() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.admin()
        let hello = try connection.send("HELLO").final
        // A fixed, irregular mix, so that a reply out of place cannot go unnoticed.
        var generator = SplitMix64(seed: 7)
        var lines: [String] = []
        var expected: [String] = []
        for index in 0..<500 {
            switch generator.next() % 4 {
            case 0:
                lines.append("PING")
                expected.append("OK PONG")
            case 1:
                lines.append("HELLO")
                expected.append(hello)
            case 2:
                lines.append("CHECK admin warden audit")
                expected.append("OK ALLOW via=role:warden-admin")
            default:
                lines.append("CHECK ghost-\(index) warden audit")
                expected.append("OK DENY reason=unknown-user")
            }
        }
        try connection.write(lines.map { $0 + "\n" }.joined())
        var answers: [String] = []
        for _ in lines { answers.append(try connection.readReply().final) }
        #expect(answers == expected)
    }

    @Test func pipelinedChangesAreSeenByTheRequestsAfterThem() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.admin()
        var lines: [String] = []
        for index in 0..<50 {
            lines += ["CHECK hire-\(index) warden check", "USER ADD hire-\(index)", "GRANT hire-\(index) warden check",
                      "CHECK hire-\(index) warden check"]
        }
        let replies = try connection.pipeline(lines)
        for index in 0..<50 {
            #expect(replies[4 * index].final == "OK DENY reason=unknown-user")
            #expect(replies[4 * index + 1].isOK && replies[4 * index + 2].isOK)
            #expect(replies[4 * index + 3].final == "OK ALLOW via=direct")
        }
    }
}
