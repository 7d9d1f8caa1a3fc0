import Foundation
import Testing

/// SPEC §2.4, §2.5, §4: secrets never reach the audit log — nor, in plain text, any
/// other file of the data directory or the server's log — whatever command carries them.
@Suite struct AuditSecretsTests {
    @Test func noPasswordCodeOrAPIKeyIsEverStoredOrLogged() throws {
        let server = try WardenProcess()
        defer { server.stopAndClean() }
        let admin = try server.admin()
        var secrets = [
            "Alpine-Meadow-4471", "Birch-Canyon-8812", "Cedar-Delta-2290", "Dune-Estuary-5531", "Elm-Fjord-6604",
            "Fern-Glacier-7718", "Grove-Harbor-9925",
        ]
        try admin.runScript(["USER ADD alice password=Alpine-Meadow-4471", "USER PASSWD alice Birch-Canyon-8812",
                             "USER ADD bob", "USER ADD svc kind=service"])
        let alice = try server.connect(as: "alice", password: "Birch-Canyon-8812")
        try alice.expectOK("PASSWD Birch-Canyon-8812 Cedar-Delta-2290")
        let stranger = try server.connect()
        try stranger.expectError("AUTH-FAILED", "AUTH alice Dune-Estuary-5531")
        try stranger.expectOK("LOGIN alice Cedar-Delta-2290")
        try stranger.expectError("AUTH-FAILED", "LOGIN alice Elm-Fjord-6604")

        let code = try #require(admin.expectOK("USER INVITE bob").value("code"))
        secrets.append(code)
        try stranger.expectError("AUTH-FAILED", "ACTIVATE bob not-the-code Grove-Harbor-9925")
        try stranger.expectOK("ACTIVATE bob \(code) Fern-Glacier-7718")
        try stranger.expectError("AUTH-FAILED", "ACTIVATE bob \(code) Grove-Harbor-9925")

        let key = try #require(admin.expectOK("APIKEY CREATE svc").value("key"))
        secrets.append(key)
        try server.connect().authenticate("svc", key)
        try stranger.expectError("AUTH-FAILED", "AUTH svc \(key.dropLast())x")

        let audit = try admin.send("AUDIT since=0 limit=10000").description
        #expect(server.terminate() == 0)
        let table = try SQLiteFile(dataDirectory: server.dataDirectory).query("SELECT * FROM audit")
            .map { $0.joined(separator: " ") }.joined(separator: "\n")
        #expect(table.contains("alice") && table.contains("svc"), "the audit table should be read: \(table.prefix(200))")
        // The scan does find what is stored in plain text.
        #expect(!(try filesContaining("warden-admin", under: server.dataDirectory)).isEmpty)
        for secret in secrets {
            #expect(!audit.contains(secret), "AUDIT shows \(secret)")
            #expect(!table.contains(secret), "the audit table holds \(secret)")
            #expect(!server.log.contains(secret), "the server log holds \(secret)")
            for file in try filesContaining(secret, under: server.dataDirectory) {
                Issue.record("\(file) holds \(secret) in plain text")
            }
        }
    }

    /// The files under `root` whose bytes contain `text`.
    private func filesContaining(_ text: String, under root: URL) throws -> [String] {
        let needle = Data(text.utf8)
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            if try Data(contentsOf: url).range(of: needle) != nil { found.append(relative) }
        }
        return found
    }
}
