import Foundation
import Testing
import WardenCrypto
#if canImport(Glibc)
import Glibc
#endif

/// One server for the tests of a suite whose cases do not interfere (distinct
/// usernames, no server-wide changes). Started on first use; stopped when the test
/// process exits, since Swift Testing has no suite-level teardown.
final class SharedWarden: @unchecked Sendable {
    private let arguments: [String]
    private let setUp: @Sendable (WardenProcess) throws -> Void
    private let lock = NSLock()
    private var server: WardenProcess?

    /// `setUp` runs once, after the start: fixtures every case may use.
    init(arguments: [String] = [], setUp: @escaping @Sendable (WardenProcess) throws -> Void = { _ in }) {
        self.arguments = arguments
        self.setUp = setUp
    }

    func get() throws -> WardenProcess {
        try lock.withLock {
            if let server { return server }
            let started = try WardenProcess(arguments: arguments)
            ExitCleanup.register(started)
            try setUp(started)
            server = started
            return started
        }
    }
}

/// Kills shared servers and removes their data directories at process exit.
enum ExitCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var servers: [WardenProcess] = []
    private static let installed: Void = { atexit { ExitCleanup.stopAll() } }()

    static func register(_ server: WardenProcess) {
        installed
        lock.withLock { servers.append(server) }
    }

    private static func stopAll() {
        let all = lock.withLock { servers }
        for server in all {
            if server.process.isRunning { Glibc.kill(server.process.processIdentifier, SIGKILL) }
            server.removeData()
        }
    }
}

/// A final line that was not what a test needed to go on.
struct UnexpectedReply: Error, CustomStringConvertible {
    var request: String
    var reply: WireReply
    var description: String { "\(request) → \(reply)" }
}

extension LineConnection {
    /// Sends a line whose reply must be `OK …` for the test to go on.
    @discardableResult
    func ok(_ line: String) throws -> WireReply {
        let reply = try send(line)
        guard reply.isOK else { throw UnexpectedReply(request: line, reply: reply) }
        return reply
    }

    /// `LOGIN` and the token it returns.
    func login(_ user: String, _ password: String = Fixture.password, _ options: String = "") throws -> String {
        let reply = try ok("LOGIN \(user) \(password) \(options)")
        guard let token = reply.value("token") else { throw UnexpectedReply(request: "LOGIN", reply: reply) }
        return token
    }

    /// `TOKEN ISSUE` and the token it returns.
    func issue(_ user: String, _ options: String = "") throws -> String {
        let reply = try ok("TOKEN ISSUE \(user) \(options)")
        guard let token = reply.value("token") else { throw UnexpectedReply(request: "TOKEN ISSUE", reply: reply) }
        return token
    }

    /// The final line of `VALIDATE token`.
    func validate(_ token: String, _ entitlement: String = "") throws -> String {
        try send("VALIDATE \(token) \(entitlement)").final
    }
}

/// Names and secrets the token tests share.
enum Fixture {
    static let password = "Correct-Horse-Battery-9"
    static let newPassword = "Another-Staple-Lamp-7"
    /// Whether `text` is an RFC 3339 UTC time to the second, as SPEC §1 writes times.
    static func isTime(_ text: String) -> Bool {
        text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil
    }

    /// Adds a person with the shared password, via an admin connection.
    static func person(_ name: String, on server: WardenProcess) throws {
        try server.admin().ok("USER ADD \(name) password=\(password)")
    }

    /// Adds a service user with the shared password.
    static func service(_ name: String, on server: WardenProcess) throws {
        try server.admin().ok("USER ADD \(name) kind=service password=\(password)")
    }

    /// Seconds `body` took.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let result = try body()
        return (result, Date().timeIntervalSince(start))
    }
}

/// Takes a compact JWS apart and puts forged variants together, for attack tests.
enum JWT {
    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func object(_ part: String) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decodeStrict(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func header(_ token: String) throws -> [String: Any] { try object(parts(token)[0]) }
    static func payload(_ token: String) throws -> [String: Any] { try object(parts(token)[1]) }

    /// base64url of a JSON object, keys sorted as Warden writes them.
    static func encode(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Base64URL.encode(Array(data))
    }

    /// The token with its header replaced and the rest (signature included) kept.
    static func withHeader(_ token: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        var header = try header(token)
        change(&header)
        var parts = parts(token)
        parts[0] = try encode(header)
        return parts.joined(separator: ".")
    }

    /// The token with its payload replaced and the rest (signature included) kept.
    static func withPayload(_ token: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        var payload = try payload(token)
        change(&payload)
        var parts = parts(token)
        parts[1] = try encode(payload)
        return parts.joined(separator: ".")
    }

    /// HMAC-SHA256 (RFC 2104), for the HS256 key-confusion attack.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = Digest.sha256(block.map { $0 ^ 0x36 } + message)
        return Digest.sha256(block.map { $0 ^ 0x5c } + inner)
    }
}

/// The served JWK Set.
func jwks(of server: WardenProcess) throws -> [[String: Any]] {
    let response = try httpRequest(port: server.httpPort, method: "GET", path: "/.well-known/jwks.json")
    guard response.status == 200 else { throw HTTPStatusError(status: response.status, body: response.body) }
    return try #require(response.json?["keys"] as? [[String: Any]])
}

struct HTTPStatusError: Error {
    var status: Int
    var body: String
}

/// `Authorization: Basic …` for a username and secret.
func basic(_ user: String, _ secret: String) -> [String: String] {
    ["Authorization": "Basic " + Data("\(user):\(secret)".utf8).base64EncodedString()]
}
