import Foundation
import Testing

/// SPEC §5: when a reply is `ERR`, `warden cli` names its line number on standard
/// error; with the command on the command line that is line 1 (security review #11).
@Suite struct CLIOneShotErrorTests {
    @Test func aOneShotErrReplyIsReportedAsLineOneOnStandardError() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "USER", "SHOW", "nobody"], server: server)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "ERR NOT-FOUND no user nobody\n")
        #expect(result.stderr == "warden: line 1: ERR NOT-FOUND no user nobody\n", "\(result)")
    }

    @Test func aOneShotErrReplyInJSONIsStillReportedOnStandardError() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "--json", "GRANT", "admin", "no-such-role"], server: server)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.hasPrefix("{\"ok\":false,"), "\(result)")
        #expect(result.stderr.hasPrefix("warden: line 1: ERR "), "\(result)")
    }

    @Test func aOneShotOKReplyLeavesStandardErrorEmpty() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        let result = try warden(["cli", "PING"], server: server)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }
}
