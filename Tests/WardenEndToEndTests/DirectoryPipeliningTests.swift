import Foundation
import Testing

/// SPEC §2: pipelined requests are answered in order, each seeing the effect of those
/// before it. The server hands a connection's `USER ADD`, `USER SET` and `GRANT`s to the
/// writer without waiting for each commit (`WardenService.mayOverlap`); whatever it
/// overlaps, a pipelined script must leave the same replies, the same directory and the
/// same audit entries as the same script sent one line at a time.
@Suite struct DirectoryPipeliningTests {
    /// A script that mixes the changes that overlap with everything that must wait for
    /// them, and with refusals of both kinds, each depending on the lines before it.
    static func script(seed: UInt64, hires: Int) -> [String] {
        var random = seed
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int((random >> 33) % UInt64(bound))
        }
        let roles = ["employee", "sales", "finance", "no-such-role"]
        var lines: [String] = []
        for index in 0..<hires {
            let name = "hire-\(index)"
            let earlier = "hire-\(next(index + 1))"
            lines.append("USER ADD \(name) name=\"Hire \(index)\"")
            lines.append("GRANT \(name) \(roles[next(roles.count)])")
            switch next(13) {
            case 0: lines.append("CHECK \(earlier) wiki read")
            case 1: lines.append("USER ADD \(earlier)")
            case 2: lines.append("GRANT \(earlier) crm view until=2030-01-01T00:00:00Z")
            case 3: lines.append("REVOKE \(earlier) employee")
            case 4: lines.append("USER DISABLE \(earlier) reason=\"left\"")
            case 5: lines.append("USER SET \(earlier) email=\(earlier)@example.com")
            case 6: lines.append("GRANT missing-\(index) employee")
            case 7: lines.append("GRANT")
            case 8: lines.append("ACCESS \(earlier)")
            case 9: lines.append("GRANT \(earlier) payroll read")
            case 10: lines.append("FROBNICATE \(earlier)")
            case 11: lines.append("USER INVITE \(earlier)")
            default: lines.append("USER SET \(name) name=\"Renamed \(index)\"")
            }
        }
        return lines
    }

    /// What a server holds after the script: every hire's profile and access, and the
    /// script's audit entries in the log's order (one caller's changes commit in the
    /// order they were sent, overlapped or not).
    static func outcome(_ admin: LineConnection, hires: Int) throws -> (users: [String], access: [String], audit: [String]) {
        let users = try admin.send("USER LIST prefix=hire- limit=100000").data.sorted()
        var access: [String] = []
        for index in 0..<hires {
            access.append("hire-\(index): " + (try admin.send("ACCESS hire-\(index)").data.sorted().joined(separator: ", ")))
        }
        let audit = try admin.send("AUDIT limit=10000").rows
            .filter { ($0["target"] ?? "").hasPrefix("hire-") || ($0["target"] ?? "").hasPrefix("missing-") }
            .map { "\($0["action"] ?? "") \($0["target"] ?? "") \($0["result"] ?? "") \(comparable($0["detail"] ?? ""))" }
        return (users, access, audit)
    }

    /// A reply with what differs between two servers (an invite's code, link and
    /// expiry) left out.
    static func comparable(_ final: String) -> String {
        final.split(separator: " ").filter { !$0.hasPrefix("code=") && !$0.hasPrefix("link=") && !$0.hasPrefix("expires=") }
            .joined(separator: " ")
    }

    @Test func aPipelinedScriptEndsExactlyAsTheSameScriptSentLineByLine() throws {
        let hires = 300
        let lines = Self.script(seed: 2026, hires: hires)
        let (pipelinedServer, pipelined) = try WardenProcess.company()
        defer { pipelinedServer.stopAndClean() }
        let (steppedServer, stepped) = try WardenProcess.company()
        defer { steppedServer.stopAndClean() }

        let pipelinedReplies = try pipelined.pipeline(lines)
        let steppedReplies = try lines.map { try stepped.send($0) }
        for (line, (fast, slow)) in zip(lines, zip(pipelinedReplies, steppedReplies)) {
            #expect(Self.comparable(fast.final) == Self.comparable(slow.final) && fast.data == slow.data,
                    "\(line): pipelined \(fast.final), one by one \(slow.final)")
        }
        // The script exercises both kinds of answers.
        #expect(steppedReplies.contains { $0.errorCode == "NOT-FOUND" } && steppedReplies.contains { $0.errorCode == "EXISTS" })
        #expect(steppedReplies.contains { $0.errorCode == "SYNTAX" } && steppedReplies.contains { $0.final == "OK DENY reason=no-grant" })

        let fast = try Self.outcome(pipelined, hires: hires)
        let slow = try Self.outcome(stepped, hires: hires)
        #expect(fast.users == slow.users)
        #expect(fast.access == slow.access)
        #expect(fast.audit == slow.audit)
        #expect(fast.audit.count > 2 * hires)
    }
}
