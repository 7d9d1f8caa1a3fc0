import Foundation
import Testing

/// `warden import` reads at most 64 MiB and records of at most 64 KiB (review #11):
/// past either it names the line, changes nothing, and exits 1.
@Suite struct ImportLimitsTests {
    static let header = "username,name,email,roles\n"

    @Test func aFileOverSixtyFourMebibytesIsRefusedAndNothingChanges() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("huge.csv")
            let row = "padded,\"\(String(repeating: "p", count: 1_000))\",,staff\n"
            var text = Self.header + "first,First,first@example.com,staff\n"
            let rows = (64 << 20) / row.utf8.count + 10
            text += String(repeating: row, count: rows)
            try text.write(to: file, atomically: false, encoding: .utf8)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("\(file.path):"), "\(result)")
            #expect(result.stderr.contains(": the file is larger than 64 MiB, the most warden import reads; "), "\(result)")
            #expect(result.stderr.contains("nothing was changed"))
            #expect(try server.admin().send("USER SHOW first").errorCode == "NOT-FOUND")
        }
    }

    @Test func anEndlessFileIsRefusedRatherThanReadForEver() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        let result = try warden(["import", "/dev/zero"], server: server)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("/dev/zero:1: the file is larger than 64 MiB"), "\(result)")
    }

    @Test func aRowOverSixtyFourKibibytesIsABadRowOnItsLineAndNoRowIsImported() throws {
        let server = try ImportTests.startServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let long = "long,\"\(String(repeating: "n", count: 70_000))\",,staff\n"
            let text = Self.header + "good,Good,good@example.com,staff\n" + long + "later,Later,,staff\n"
            let file = try ImportTests.write(text, in: directory)
            let result = try warden(["import", file.path], server: server)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("\(file.path):3: the record starting on this line is longer than 65536 bytes"), "\(result)")
            #expect(result.stderr.contains("1 bad row(s); nothing was changed"), "\(result)")
            let admin = try server.admin()
            #expect(try admin.send("USER SHOW good").errorCode == "NOT-FOUND")
            #expect(try admin.send("USER SHOW later").errorCode == "NOT-FOUND")
        }
    }
}
