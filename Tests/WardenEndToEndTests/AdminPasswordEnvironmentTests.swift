import Foundation
import Testing

/// `WARDEN_ADMIN_PASSWORD` is read once at start and taken out of the server's
/// environment (review #11): a child process would inherit it, and anyone able to read
/// `/proc/PID/environ` (the same user, root, a core dump) would see it for the life of
/// the process.
@Suite struct AdminPasswordEnvironmentTests {
    static func environmentBlock(of server: WardenProcess) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(server.process.processIdentifier)/environ"))
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theBootstrapPasswordWorksButIsGoneFromTheServersEnvironment() throws {
        let server = try WardenProcess()
        defer { server.stop() }
        // It was read: the bootstrap admin has it.
        #expect(try server.admin().send("HELLO").final.hasSuffix("user=admin"))
        let environment = try AdminPasswordEnvironmentTests.environmentBlock(of: server)
        #expect(!environment.isEmpty)
        #expect(!environment.contains(WardenProcess.adminPassword), "the password is still in /proc/PID/environ")
    }

    @Test func aRestartOnAnInitialisedDirectoryAlsoDropsTheVariable() throws {
        let first = try WardenProcess()
        #expect(first.terminate() == 0)
        let again = try WardenProcess(dataDirectory: first.dataDirectory, adminPassword: "Another-Secret-Value-9")
        defer { again.stop() }
        let environment = try AdminPasswordEnvironmentTests.environmentBlock(of: again)
        #expect(!environment.contains("Another-Secret-Value-9"))
        // The variable changes nothing once the admin exists.
        #expect(try again.admin().send("PING").final == "OK PONG")
    }
}
