import Foundation
import Testing

/// SPEC §1 "first start" and §4 "secrets": the bootstrap admin, its password, and the
/// permissions of what lands on disk.
@Suite struct FoundationBootstrapTests {
    @Test func theBootstrapAdminUsesThePasswordFromTheEnvironment() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let connection = try server.connect()
        #expect(try connection.send("AUTH admin \(WardenProcess.adminPassword)").final == "OK user=admin")
        #expect(!FileManager.default.fileExists(atPath: server.dataDirectory.appendingPathComponent("bootstrap-admin.txt").path))
        #expect(!server.log.contains(WardenProcess.adminPassword))
    }

    @Test func withoutAPasswordInTheEnvironmentARandomOneIsWrittenAloneToAPrivateFile() throws {
        let server = try WardenProcess(adminPassword: nil)
        defer { server.stopAndClean() }
        let file = server.dataDirectory.appendingPathComponent("bootstrap-admin.txt")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)

        let contents = try String(contentsOf: file, encoding: .utf8)
        let lines = contents.split(separator: "\n", omittingEmptySubsequences: false)
        // One line: the password, then LF, nothing else.
        #expect(lines.count == 2 && lines[1].isEmpty, "\(contents.debugDescription)")
        let password = String(lines[0])
        #expect(password.count >= 16)
        #expect(!password.contains(" "))

        #expect(server.log.contains(file.lastPathComponent), "the log should say where the password is: \(server.log)")
        #expect(!server.log.contains(password))
        #expect(try server.connect().send("AUTH admin \(password)").final == "OK user=admin")
    }

    @Test func aRestartDoesNotBootstrapAgain() throws {
        let first = try WardenProcess(adminPassword: nil)
        defer { first.stopAndClean() }
        let file = first.dataDirectory.appendingPathComponent("bootstrap-admin.txt")
        let password = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(first.terminate() == 0)
        try FileManager.default.removeItem(at: file)

        let second = try WardenProcess(dataDirectory: first.dataDirectory, adminPassword: nil)
        defer { second.terminate() }
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try second.connect().send("AUTH admin \(password)").final == "OK user=admin")
    }

    @Test func theDataDirectoryIsPrivate() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let attributes = try FileManager.default.attributesOfItem(atPath: server.dataDirectory.path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
    }

    @Test func nothingInTheDataDirectoryIsReadableByOthers() throws {
        let server = try WardenProcess(adminPassword: nil)
        defer { server.stopAndClean() }
        try server.connect(as: "admin", password: bootstrapPassword(server)).expectOK("USER ADD alice password=Correct-Horse-42")
        let root = server.dataDirectory
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        var checked = 0
        while let relative = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(relative).path)
            let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
            #expect(mode & 0o077 == 0, "\(relative) has mode \(String(mode, radix: 8))")
            checked += 1
        }
        // At least the database, the lock, the bootstrap file, the keys folder and a key.
        #expect(checked >= 5)
    }

    private func bootstrapPassword(_ server: WardenProcess) throws -> String {
        try String(contentsOf: server.dataDirectory.appendingPathComponent("bootstrap-admin.txt"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
    }
}
