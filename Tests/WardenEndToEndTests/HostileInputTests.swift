import Foundation
import Testing

/// Input that splits differently by bytes and by Swift `Character`s: an `=` or `:`
/// followed by a combining mark is one Character, so a Character search misses it.
/// Warden splits where the bytes say (found by fuzzing the line codec).
@Suite struct HostileInputTests {
    static let shared = SharedWarden()
    /// Starts with U+0301 COMBINING ACUTE ACCENT: meets the policy, and after `:` or
    /// `=` it forms one Character with the separator.
    static let password = "\u{301}Combining-Start-Pass-9"

    @Test func anOptionValueStartingWithACombiningMarkIsReadAsThatOption() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try admin.ok("USER ADD combining-name name=\u{301}accent")
        // Compared as bytes: a Character-wise search would stumble on the same mark.
        let shown = try admin.send("USER SHOW combining-name")
        #expect(Array(shown.final.utf8).contains(Array(" name=\u{301}accent ".utf8)), "\(shown)")
    }

    @Test func httpBasicSplitsAtTheFirstColonEvenBeforeACombiningMark() throws {
        let server = try Self.shared.get()
        let admin = try server.admin()
        try admin.ok("USER ADD combining-svc kind=service password=\(Self.password)")
        try admin.ok("GRANT combining-svc warden introspect")
        let token = try admin.issue("combining-svc")
        let response = try httpRequest(
            port: server.httpPort, method: "POST", path: "/introspect",
            headers: basic("combining-svc", Self.password).merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 },
            body: "token=\(token)")
        #expect(response.status == 200, "\(response.body)")
        #expect(response.json?["active"] as? Bool == true)
    }
}
