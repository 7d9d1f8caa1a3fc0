import Foundation
import Testing
import Logging
import WardenCore
import WardenCrypto
import WardenProtocol
import WardenService
import WardenStore

/// A real `WardenService` on a fresh data directory in a temporary folder (cheap
/// scrypt, bootstrap admin password given), driven through `handle` the way the
/// server drives it: one `Session` a connection, `.later` outcomes awaited.
final class ServiceHarness: Sendable {
    static let adminPassword = "Bootstrap-Admin-Pass-1"

    let root: String
    let store: SQLiteStore
    let service: WardenService

    private init(root: String, store: SQLiteStore, service: WardenService) {
        self.root = root
        self.store = store
        self.service = service
    }

    static func start(configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> ServiceHarness {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warden-service-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        return try await start(in: root, configure: configure)
    }

    /// Starts a service on the data directory of an earlier harness (which must be
    /// gone: its store holds the directory's lock until then). What it holds in memory
    /// was read from the database alone.
    static func start(in root: String, configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> ServiceHarness {
        let logger = Logger(label: "warden.test") { _ in SwiftLogNoOpLogHandler() }
        do {
            let opened = try SQLiteStore.open(path: root + "/data", logger: logger)
            var configuration = ServiceConfiguration()
            configuration.scrypt = ScryptParameters(ln: 4, r: 8, p: 1)
            configuration.bootstrapAdminPassword = adminPassword
            configuration.hashingThreads = 1
            configure(&configuration)
            do {
                let service = try await WardenService.start(opened: opened, configuration: configuration, logger: logger)
                return ServiceHarness(root: root, store: try #require(opened.store as? SQLiteStore), service: service)
            } catch {
                opened.store.close()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
    }

    /// Closes the database and removes the folder. Call it with `defer`.
    func stop() {
        service.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }

    var dataPath: String { root + "/data" }

    /// Sends one line on `session`: parses it, handles it, awaits a `.later` outcome,
    /// applies `AUTH`'s effect, and returns the reply as protocol text without its
    /// final newline.
    func send(_ line: String, on session: inout Session) async throws -> String {
        let request = try #require(try Request.parse(line: Array(line.utf8)))
        let reply: Reply
        let effect: SessionEffect
        switch service.handle(request, session: &session) {
        case .now(let ready, let readyEffect): (reply, effect) = (ready, readyEffect)
        case .later(let work): (reply, effect) = await work()
        }
        if case .authenticate(let userID, let generation, let credential) = effect {
            session.userID = userID
            session.generation = generation
            session.credential = credential
        }
        var text = ReplyEncoder.encode(reply)
        text.removeLast()
        return text
    }

    /// A new connection from 127.0.0.1, authenticated as `user`.
    func session(as user: String, password: String) async throws -> Session {
        var session = Session(source: "127.0.0.1")
        let reply = try await send("AUTH \(user) \(password)", on: &session)
        guard reply == "OK user=\(user)" else { throw HarnessError.authFailed(reply) }
        return session
    }

    /// Rows of the audit table as `actor action target result`, oldest first.
    func auditRows(where condition: String = "1") async throws -> [String] {
        try await store.read { db throws(SQLiteError) in
            try db.query("SELECT actor, action, target, result FROM audit WHERE \(condition) ORDER BY seq") {
                "\($0.text(0)) \($0.text(1)) \($0.text(2)) \($0.text(3))"
            }
        }
    }

    enum HarnessError: Error {
        case authFailed(String)
    }
}
