import Foundation
import Testing

/// `scripts/offboard` saves the leaver's access in the working directory without ever
/// writing through a symbolic link (review #11): a link planted under the record's
/// name, dangling or not, is left alone and the record goes to the next free name.
@Suite struct OffboardSymlinkTests {
    static var today: String {
        ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
    }

    @Test func aDanglingSymlinkUnderTheRecordsNameIsNotWrittenThrough() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD uma", "GRANT uma sales"])
        try withTemporaryDirectory { directory in
            let work = directory.appendingPathComponent("work")
            let elsewhere = directory.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let target = elsewhere.appendingPathComponent("planted.txt")
            let name = "offboard-uma-\(OffboardSymlinkTests.today).txt"
            try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent(name).path, withDestinationPath: target.path)

            let result = try script("offboard", ["uma"], server: server, directory: work)
            #expect(result.status == 0, "\(result)")
            #expect(!FileManager.default.fileExists(atPath: target.path), "the record was written through the link")
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: work.appendingPathComponent(name).path)
            #expect(link == target.path)

            let saved = work.appendingPathComponent("offboard-uma-\(OffboardSymlinkTests.today)-2.txt")
            #expect(result.stdout.contains("saved to \(saved.lastPathComponent)"), "\(result)")
            let attributes = try FileManager.default.attributesOfItem(atPath: saved.path)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular)
            #expect(try fileMode(saved) == 0o600)
            #expect(try String(contentsOf: saved, encoding: .utf8).contains("permission=write via=role:sales"))
            // Nothing else is left behind (the private temporary directory is gone).
            #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).sorted() == [name, saved.lastPathComponent].sorted())
            #expect(try server.admin().send("USER SHOW uma").final.contains("status=disabled"))
        }
    }

    @Test func aSymlinkToAnExistingFileIsNeitherFollowedNorReplaced() throws {
        let server = try ScriptTests.startServer()
        defer { server.stop() }
        try server.setUp(["USER ADD vic", "GRANT vic support"])
        try withTemporaryDirectory { directory in
            let victim = directory.appendingPathComponent("precious.txt")
            try "keep me\n".write(to: victim, atomically: true, encoding: .utf8)
            let work = directory.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            for suffix in ["", "-2"] {
                let name = "offboard-vic-\(OffboardSymlinkTests.today)\(suffix).txt"
                try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent(name).path, withDestinationPath: victim.path)
            }
            let result = try script("offboard", ["vic"], server: server, directory: work)
            #expect(result.status == 0, "\(result)")
            #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me\n")
            let saved = work.appendingPathComponent("offboard-vic-\(OffboardSymlinkTests.today)-3.txt")
            #expect(try String(contentsOf: saved, encoding: .utf8).contains("permission=read via=role:support"), "\(result)")
        }
    }
}
