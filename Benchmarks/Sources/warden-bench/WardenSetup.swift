import Dispatch
import Foundation

/// The setup phase against a Warden server: the objects the load needs, made over
/// the line protocol as an operator would make them.
///
/// - a system `bench` (read, write) and nested roles `bench-top` ⊃ `bench-mid` ⊃ `bench-base`,
///   so that `CHECK bench-uN bench read` is allowed through two levels of inclusion;
/// - operators `bench-op-N` (service users with an API key, holding warden check,
///   introspect, grant and token-issue), so the load authenticates without scrypt;
/// - users to grant and revoke (`bench-g<conn>-<n>`), to log in (`bench-lN`), and
///   to hold tokens (`bench-tN`); the tokens themselves come from `TOKEN ISSUE`.
struct WardenSetup {
    var host: String
    var port: Int
    var adminPassword: String
    /// Operators to create: one a connection of the run, at least one a token issuer.
    var operators: Int
    var checkUsers: Int
    /// Connections (global indexes) that grant and revoke, and how many users each owns.
    var grantConnections: [Int]
    var grantUsersPerConnection: Int
    var loginUsers: Int
    var tokens: Int
    var log: (String) -> Void

    static let operatorRole = "bench-operator"
    static let loginPassword = "Bench-login-Passw0rd-4711"
    /// Token issuance is spread over this many operator/holder pairs, so the writer can
    /// put issues from different connections into one commit.
    static let issuers = 32

    /// Makes everything and returns the fixture and the API key of each operator.
    func run() throws -> (Fixture, [String]) {
        let admin = try LineClient(host: host, port: port)
        try Self.expectOK(admin.request("AUTH admin \(adminPassword)"), "AUTH admin")

        var lines = [
            "SYSTEM ADD bench permissions=read,write",
            "ROLE ADD bench-base", "ROLE GRANT bench-base bench read",
            "ROLE ADD bench-mid", "ROLE GRANT bench-mid bench write", "ROLE INCLUDE bench-mid bench-base",
            "ROLE ADD bench-top", "ROLE INCLUDE bench-top bench-mid",
            "ROLE ADD \(Self.operatorRole)",
        ]
        for permission in ["check", "introspect", "grant", "token-issue"] {
            lines.append("ROLE GRANT \(Self.operatorRole) warden \(permission)")
        }
        for index in 0..<checkUsers {
            lines += ["USER ADD bench-u\(index)", "GRANT bench-u\(index) bench-top"]
        }
        for index in 0..<operators {
            lines += ["USER ADD bench-op-\(index) kind=service", "GRANT bench-op-\(index) \(Self.operatorRole)"]
        }
        for connection in grantConnections {
            for index in 0..<grantUsersPerConnection { lines.append("USER ADD bench-g\(connection)-\(index)") }
        }
        if tokens > 0 {
            for index in 0..<Self.issuers { lines.append("USER ADD bench-t\(index) kind=service") }
        }
        for index in 0..<loginUsers {
            lines += ["USER ADD bench-l\(index)", "USER PASSWD bench-l\(index) \(Self.loginPassword)"]
        }
        log("setup: \(lines.count) directory changes")
        try Self.pipeline(admin, lines) { line, reply in
            guard reply.hasPrefix("OK") || reply.hasPrefix("ERR EXISTS") else {
                throw LineClient.Failure(description: "setup: \(line.prefix(60)) -> \(reply)")
            }
        }
        var keys: [String] = []
        try Self.pipeline(admin, (0..<operators).map { "APIKEY CREATE bench-op-\($0)" }) { line, reply in
            guard let key = Self.value("key", in: reply) else { throw LineClient.Failure(description: "setup: \(line) -> \(reply)") }
            keys.append(key)
        }

        var fixture = Fixture()
        fixture.checkUserCount = max(1, checkUsers)
        fixture.grantUsersPerConnection = grantUsersPerConnection
        fixture.loginUsers = (0..<loginUsers).map { "bench-l\($0)" }
        fixture.loginPassword = Self.loginPassword
        if tokens > 0 {
            let started = Date()
            let issued = try issueTokens(keys: keys)
            fixture.cachedToken = issued[0]
            fixture.tokens = Array(issued.dropFirst())
            log(String(format: "setup: issued %d tokens in %.1f s", issued.count, Date().timeIntervalSince(started)))
        }
        return (fixture, keys)
    }

    /// `TOKEN ISSUE` from `issuers` operators in parallel, each for its own holder.
    private func issueTokens(keys: [String]) throws -> [String] {
        let issuers = min(Self.issuers, keys.count)
        let perIssuer = (tokens + 1 + issuers - 1) / issuers
        let results = LockedBox([[String]](repeating: [], count: issuers))
        let failures = LockedBox([String]())
        let group = DispatchGroup()
        for issuer in 0..<issuers {
            group.enter()
            Thread { [host, port] in
                defer { group.leave() }
                do {
                    let client = try LineClient(host: host, port: port)
                    try Self.expectOK(client.request("AUTH bench-op-\(issuer) \(keys[issuer])"), "AUTH bench-op-\(issuer)")
                    var issued: [String] = []
                    let lines = [String](repeating: "TOKEN ISSUE bench-t\(issuer) ttl=2h", count: perIssuer)
                    try Self.pipeline(client, lines) { _, reply in
                        guard let token = Self.value("token", in: reply) else { throw LineClient.Failure(description: "TOKEN ISSUE -> \(reply)") }
                        issued.append(token)
                    }
                    results.update { $0[issuer] = issued }
                } catch {
                    failures.update { $0.append("\(error)") }
                }
            }.start()
        }
        group.wait()
        if let failure = failures.value.first { throw LineClient.Failure(description: failure) }
        return results.value.flatMap { $0 }
    }

    /// Sends `lines` in chunks (so neither side's buffers fill while the other writes)
    /// and hands each final reply line to `check`.
    static func pipeline(_ client: LineClient, _ lines: [String], chunk: Int = 128,
                         _ check: (String, String) throws -> Void) throws {
        var index = 0
        while index < lines.count {
            let slice = lines[index..<min(index + chunk, lines.count)]
            try client.send(Array(slice.map { $0 + "\n" }.joined().utf8))
            for line in slice { try check(line, try client.readReply()) }
            index += slice.count
        }
    }

    static func expectOK(_ reply: String, _ what: String) throws {
        guard reply.hasPrefix("OK") else { throw LineClient.Failure(description: "\(what) -> \(reply)") }
    }

    /// The value of `key=` in a reply line.
    static func value(_ key: String, in reply: String) -> String? {
        guard reply.hasPrefix("OK") else { return nil }
        for word in reply.split(separator: " ") where word.hasPrefix(key + "=") {
            return String(word.dropFirst(key.count + 1))
        }
        return nil
    }
}

/// A value shared by setup threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
