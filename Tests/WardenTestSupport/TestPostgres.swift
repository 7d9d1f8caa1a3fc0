import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL server of `scripts/postgres-scratch` (`$WARDEN_TEST_POSTGRES_URL`,
/// `_PASSWORD`, `_BIN`), reached with `psql`: a fresh database for a test or a cluster
/// of nodes, and SQL run on it as an auditor (or an attacker) would.
public struct TestPostgres: Sendable {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String
    public let database: String

    static let environment = ProcessInfo.processInfo.environment

    /// The scratch server, or nil when the tests run without one.
    public static let server: TestPostgres? = {
        guard let text = environment["WARDEN_TEST_POSTGRES_URL"], let url = URLComponents(string: text),
              let host = url.host, let port = url.port, let user = url.user else { return nil }
        return TestPostgres(host: host, port: port, user: user, password: environment["WARDEN_TEST_POSTGRES_PASSWORD"] ?? "",
                            database: String(url.path.dropFirst()))
    }()

    public static var isAvailable: Bool { server != nil }

    /// `postgres://USER@HOST:PORT/DB?sslmode=disable`, for `warden serve --postgres`.
    public var url: String { "postgres://\(user)@\(host):\(port)/\(database)?sslmode=disable" }

    /// The environment a node needs to reach it (the password never on a command line).
    public var nodeEnvironment: [String: String] { ["WARDEN_POSTGRES_PASSWORD": password] }

    /// A new, empty database on the server (a name of its own, or `name` when given).
    public func createDatabase(named name: String? = nil) throws -> TestPostgres {
        let name = name ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try psql("CREATE DATABASE \(name)")
        return TestPostgres(host: host, port: port, user: user, password: password, database: name)
    }

    /// Another database of the same server (one that exists).
    public func database(named name: String) -> TestPostgres {
        TestPostgres(host: host, port: port, user: user, password: password, database: name)
    }

    /// Drops this database, ending its sessions.
    public func drop() {
        let server = TestPostgres(host: host, port: port, user: user, password: password, database: "postgres")
        _ = try? server.psql("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }

    /// Runs `sql` on this database; returns the rows, one line each, columns separated by `|`.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        let bin = TestPostgres.environment["WARDEN_TEST_POSTGRES_BIN"].map { $0 + "/psql" } ?? "/usr/bin/psql"
        var env = TestPostgres.environment
        env["PGPASSWORD"] = password
        let result = try TestPostgres.spawn(
            FileManager.default.isExecutableFile(atPath: bin) ? bin : "/usr/bin/psql",
            ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", user, "-d", database, "-c", sql],
            environment: env)
        guard result.status == 0 else { throw TestPostgresError.failed(sql, result.errors) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A PostgreSQL server of its own (`scripts/postgres-scratch start`), for a test that
    /// stops and starts it; `stopServer` removes it.
    public static func startScratchServer() throws -> (server: TestPostgres, folder: String) {
        let output = try scratch(["start"])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        guard let text = values["WARDEN_TEST_POSTGRES_URL"], let url = URLComponents(string: text), let host = url.host,
              let port = url.port, let user = url.user, let folder = values["WARDEN_TEST_POSTGRES_DIR"] else {
            throw TestPostgresError.failed("postgres-scratch start", output)
        }
        let server = TestPostgres(host: host, port: port, user: user, password: values["WARDEN_TEST_POSTGRES_PASSWORD"] ?? "",
                                  database: String(url.path.dropFirst()))
        return (server, folder)
    }

    /// Stops a scratch server (its data stays): the database is gone for the nodes.
    public static func pauseServer(_ folder: String) throws { _ = try scratch(["pause", folder]) }
    public static func resumeServer(_ folder: String) throws { _ = try scratch(["resume", folder]) }
    public static func stopServer(_ folder: String) { _ = try? scratch(["stop", folder]) }
    /// Turns TLS on, with a self-signed certificate (and restarts the server).
    public static func enableTLS(_ folder: String) throws { _ = try scratch(["tls", folder]) }

    /// This database's URL with another `sslmode`.
    public func url(sslMode: String) -> String { "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode)" }

    private static func scratch(_ arguments: [String]) throws -> String {
        let script = WardenProcess.packageRoot.appendingPathComponent("scripts/postgres-scratch").path
        let result = try spawn(script, arguments, environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else {
            throw TestPostgresError.failed("postgres-scratch \(arguments.joined(separator: " "))", result.errors)
        }
        return result.output
    }

    /// Runs a program with posix_spawn and waitpid, its output in files. Foundation's
    /// `Process` is not used: its `waitUntilExit` was seen to hang for good once a script
    /// had started a server that outlives it, and tests running in parallel that each
    /// ran `psql` through it (pipes, a monitoring thread) were seen to hang all together.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]) throws
        -> (status: Int32, output: String, errors: String) {
        let output = WardenProcess.temporaryDirectory("spawn-out").path
        let errors = WardenProcess.temporaryDirectory("spawn-err").path
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
            throw TestPostgresError.failed(executable, "could not start it")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let why = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        return (status, text, why)
    }

    /// A master key file (32 random bytes, mode 0600) at a new temporary path.
    public static func makeMasterKeyFile() throws -> URL {
        let url = WardenProcess.temporaryDirectory("master-key")
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw TestPostgresError.failed("create \(url.path)", "could not write the master key file")
        }
        return url
    }
}

public enum TestPostgresError: Error, CustomStringConvertible {
    case failed(String, String)

    public var description: String {
        switch self {
        case .failed(let sql, let error): "psql failed on \(sql): \(error)"
        }
    }
}

/// Which database the end-to-end suites run the server on: SQLite (the default), or
/// PostgreSQL when `WARDEN_TEST_BACKEND=postgres` (`scripts/test` runs the directory
/// and token suites both ways).
public enum TestBackend: Sendable {
    case sqlite, postgres

    public static let current: TestBackend =
        ProcessInfo.processInfo.environment["WARDEN_TEST_BACKEND"] == "postgres" && TestPostgres.isAvailable ? .postgres : .sqlite

    /// For `.enabled(if:)` on a test that reads or damages SQLite's files.
    public static var isSQLite: Bool { current == .sqlite }
}
