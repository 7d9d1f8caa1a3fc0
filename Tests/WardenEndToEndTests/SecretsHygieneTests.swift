import Foundation
import Testing
import WardenCrypto

/// Secrets stay where they belong (SPEC §1 first start, §2 "no reply ever contains…",
/// §2.4 "the plaintext is never stored or logged", §4 secrets): after a scenario that
/// handles every kind of secret Warden knows, none of them appears in the server's
/// log, in a reply that is not the one handing it out, or in the database files.
@Suite struct SecretsHygieneTests {
    static let scenario = Result { try SecretScenario.run() }

    @Test func noSecretAppearsInTheServerLog() throws {
        let scenario = try Self.scenario.get()
        for (name, secret) in scenario.secrets {
            #expect(!scenario.log.contains(secret), "the log holds the \(name)")
        }
        // Where the bootstrap password is, is said; the password itself is not.
        #expect(scenario.log.contains("bootstrap-admin.txt"))
    }

    @Test func noSecretAppearsInAReplyThatDoesNotHandItOut() throws {
        let scenario = try Self.scenario.get()
        #expect(scenario.replies.count > 20)
        for (name, secret) in scenario.secrets {
            for reply in scenario.replies where reply.contains(secret) {
                Issue.record("a reply holds the \(name): \(reply.prefix(200))")
            }
        }
    }

    @Test func noSecretAppearsInTheDatabaseFiles() throws {
        let scenario = try Self.scenario.get()
        #expect(scenario.files.keys.sorted() == ["warden.db", "warden.db (after stop)", "warden.db-shm", "warden.db-wal"])
        for (file, bytes) in scenario.files {
            for (name, secret) in scenario.secrets where bytes.contains(secret) {
                Issue.record("\(file) holds the \(name)")
            }
            for (name, secret) in scenario.binarySecrets where bytes.contains(secret) {
                Issue.record("\(file) holds the \(name)")
            }
        }
    }

    /// `AUTH` takes the same time whether the user exists or not (SPEC §2.1): an unknown
    /// name is checked against a hash of the same cost. Real scrypt cost (ln=14), and
    /// attempts spread over names so that the throttle (5 failures per name) never starts.
    @Test func authForAnUnknownUserTakesAsLongAsAWrongPassword() throws {
        let server = try WardenProcess(arguments: ["--scrypt-ln", "14"])
        defer { server.kill(); server.removeData() }
        let admin = try server.admin()
        let people = (0..<5).map { "timing-\($0)" }
        for person in people { try admin.ok("USER ADD \(person) password=\(Fixture.password)") }
        let connection = try server.connect()
        var unknown: [Double] = [], wrong: [Double] = []
        for attempt in 0..<20 {
            // Interleaved, so that a busy moment of the machine hits both alike.
            let (reply1, seconds1) = try Fixture.timed { try connection.send("AUTH nobody-\(attempt) Wrong-Password-\(attempt)") }
            let (reply2, seconds2) = try Fixture.timed { try connection.send("AUTH \(people[attempt % 5]) Wrong-Password-\(attempt)") }
            #expect(reply1.errorCode == "AUTH-FAILED")
            #expect(reply2.final == reply1.final, "the same reply whether the user exists or not")
            unknown.append(seconds1)
            wrong.append(seconds2)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let (u, w) = (median(unknown), median(wrong))
        // The hash is really computed in both cases (scrypt ln=14 takes milliseconds)…
        #expect(w > 0.005, "wrong password median \(w) s: was the hash computed?")
        // …and the two take about as long: generous, 30%.
        #expect(abs(u - w) / max(u, w) < 0.3, "unknown user median \(u) s, wrong password median \(w) s")
    }
}

/// Everything the secret scenario left behind, and the secrets to look for.
struct SecretScenario: Sendable {
    var secrets: [String: String] = [:]
    /// Secrets as raw bytes (the private key's scalar).
    var binarySecrets: [String: [UInt8]] = [:]
    var log = ""
    /// Replies that must not carry a secret (everything but the one that hands it out).
    var replies: [String] = []
    var files: [String: [UInt8]] = [:]

    static func run() throws -> SecretScenario {
        var result = SecretScenario()
        // Bootstrap without WARDEN_ADMIN_PASSWORD: the password goes to the file only.
        let server = try WardenProcess(adminPassword: nil)
        defer { server.kill(); server.removeData() }
        let data = server.dataDirectory
        let bootstrap = try String(contentsOf: data.appendingPathComponent("bootstrap-admin.txt"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        result.secrets["bootstrap password"] = bootstrap

        func say(_ connection: LineConnection, _ line: String) throws -> WireReply {
            let reply = try connection.send(line)
            result.replies.append(reply.description)
            return reply
        }
        func handOut(_ connection: LineConnection, _ line: String, _ key: String, as name: String) throws -> String {
            let reply = try connection.ok(line)
            let secret = try #require(reply.value(key), "\(line) → \(reply)")
            result.secrets[name] = secret
            if key == "token" { result.secrets[name + " signature"] = JWT.parts(secret)[2] }
            return secret
        }
        func expect(_ reply: WireReply, _ final: String) throws {
            guard reply.final == final || reply.final.hasPrefix(final + " ") else { throw UnexpectedReply(request: final, reply: reply) }
        }

        let passwords = ["first password": "Initial-Secret-Pass-71", "admin-set password": "Admin-Reset-Pass-72",
                         "own new password": "Self-Chosen-Pass-73", "activation password": "Activated-Pass-76",
                         "mistyped password": "Typo-In-Password-74", "password typed as a username": "Secret!As#Username78",
                         "wrong HTTP Basic secret": "Wrong-Basic-Secret-77"]
        result.secrets.merge(passwords) { $1 }
        let admin = try server.connect()
        try expect(try say(admin, "AUTH admin \(bootstrap)"), "OK")
        try expect(try say(admin, "USER ADD alice password=\(passwords["first password"]!)"), "OK")
        try expect(try say(admin, "USER PASSWD alice \(passwords["admin-set password"]!)"), "OK")
        let alice = try server.connect()
        try expect(try say(alice, "AUTH alice \(passwords["admin-set password"]!)"), "OK")
        try expect(try say(alice, "PASSWD \(passwords["admin-set password"]!) \(passwords["own new password"]!)"), "OK")
        let token = try handOut(server.connect(), "LOGIN alice \(passwords["own new password"]!)", "token", as: "LOGIN token")
        try expect(try say(server.connect(), "AUTH alice \(passwords["mistyped password"]!)"), "ERR AUTH-FAILED")
        try expect(try say(server.connect(), "AUTH \(passwords["password typed as a username"]!) x"), "ERR AUTH-FAILED")

        try expect(try say(admin, "USER ADD svc kind=service"), "OK")
        try expect(try say(admin, "GRANT svc warden introspect"), "OK")
        let apiKey = try handOut(admin, "APIKEY CREATE svc", "key", as: "API key")
        try expect(try say(server.connect(), "AUTH svc \(apiKey)"), "OK")
        try expect(try say(admin, "USER ADD newbie"), "OK")
        let code = try handOut(admin, "USER INVITE newbie", "code", as: "invite code")
        try expect(try say(server.connect(), "ACTIVATE newbie \(code) \(passwords["activation password"]!)"), "OK")
        _ = try handOut(server.connect(), "LOGIN newbie \(passwords["activation password"]!)", "token", as: "activated user's token")
        let issued = try handOut(admin, "TOKEN ISSUE svc", "token", as: "issued token")

        // Replies about those secrets, which must not repeat them.
        for line in ["VALIDATE \(token)", "VALIDATE \(issued) warden introspect", "USER SHOW alice", "USER SHOW newbie",
                     "APIKEY LIST svc", "KEY LIST", "USER LIST", "HELLO", "HELP", "AUDIT limit=1000", "AUDIT VERIFY",
                     "TOKEN REVOKE \(token)", "VALIDATE \(token)"] {
            _ = try say(admin, line)
        }
        let introspected = try httpRequest(port: server.httpPort, method: "POST", path: "/introspect",
                                           headers: basic("svc", apiKey).merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 },
                                           body: "token=\(issued)")
        guard introspected.json?["active"] as? Bool == true else { throw HTTPStatusError(status: introspected.status, body: introspected.body) }
        let refused = try httpRequest(port: server.httpPort, method: "POST", path: "/introspect",
                                      headers: basic("svc", passwords["wrong HTTP Basic secret"]!), body: "token=\(issued)")
        guard refused.status == 401 else { throw HTTPStatusError(status: refused.status, body: refused.body) }
        result.replies += [introspected.body, refused.body]
        for path in ["/.well-known/jwks.json", "/metrics", "/healthz"] {
            result.replies.append(try httpRequest(port: server.httpPort, method: "GET", path: path).body)
        }

        // The signing keys' private parts: in the database only sealed with the master
        // key (opened here with it, to know what to look for), and in no file.
        let keyFiles = (try? FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("keys").path)) ?? []
        guard keyFiles.allSatisfy({ !$0.hasSuffix(".pem") }) else { throw WardenProcessError.exited(-1, "key files in keys/: \(keyFiles)") }
        let sealer = SecretSealer(masterKey: try MasterKey(fileContents: Array(Data(contentsOf: data.appendingPathComponent("master.key")))))
        let sealedKeys = try sqliteRows(data.appendingPathComponent("warden.db").path, "SELECT kid, sealed_key FROM signing_keys")
        guard !sealedKeys.isEmpty else { throw WardenProcessError.exited(-1, "no signing key in the database") }
        for row in sealedKeys {
            guard let sealed = Base64URL.decodeStrict(row[1]) else { throw WardenProcessError.exited(-1, "a sealed key is not base64url") }
            let pem = String(decoding: try sealer.open(sealed, context: "signing-key:" + row[0]), as: UTF8.self)
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            result.secrets["private key \(row[0])"] = body
            if let der = Data(base64Encoded: body) { result.binarySecrets["private key scalar \(row[0])"] = Array(der.suffix(32)) }
        }

        for file in ["warden.db", "warden.db-wal", "warden.db-shm"] {
            result.files[file] = try Array(Data(contentsOf: data.appendingPathComponent(file)))
        }
        guard server.terminate() == 0 else { throw WardenProcessError.exited(server.process.terminationStatus, server.log) }
        result.files["warden.db (after stop)"] = try Array(Data(contentsOf: data.appendingPathComponent("warden.db")))
        result.log = server.log
        return result
    }
}

extension Array where Element == UInt8 {
    func contains(_ text: String) -> Bool { contains(Array(text.utf8)) }

    func contains(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return needle.isEmpty }
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
