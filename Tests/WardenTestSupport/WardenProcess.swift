import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `warden serve` binary, started on loopback ports chosen by the kernel,
/// with a temporary data directory. The end-to-end and the tools tests drive it over
/// real sockets.
public final class WardenProcess: @unchecked Sendable {
    public static let adminPassword = "Bootstrap-Admin-Pass-1"

    public let dataDirectory: URL
    public let process = Process()
    private let logPipe = Pipe()
    private let logLock = NSLock()
    private var logText = ""
    public private(set) var linePort = 0
    public private(set) var httpPort = 0

    /// The package root, found from this file's place in it (Tests/WardenTestSupport/).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built binary: `WARDEN_BIN`, or `.build/debug/warden` of this package.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WARDEN_BIN"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/warden")
    }

    /// A fresh path under the system's temporary folder (not created).
    public static func temporaryDirectory(_ kind: String = "data") -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-test-\(kind)-\(UUID().uuidString)")
    }

    /// Starts a server and waits until both ports accept connections.
    public init(
        dataDirectory: URL = WardenProcess.temporaryDirectory(), arguments: [String] = [],
        adminPassword: String? = WardenProcess.adminPassword, environment: [String: String] = [:]
    ) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = WardenProcess.binary
        var arguments = arguments
        var environment = environment
        if TestBackend.current == .postgres, !arguments.contains("--postgres") {
            try WardenProcess.placeOnPostgres(dataDirectory, &arguments, &environment)
        }
        process.arguments = ["serve", "--data", dataDirectory.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0",
                             "--scrypt-ln", "4"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["WARDEN_ADMIN_PASSWORD"] = adminPassword
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardError = logPipe
        process.standardOutput = FileHandle.nullDevice
        logPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.logLock.withLock { self.logText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        try waitUntilReady()
    }

    /// With `WARDEN_TEST_BACKEND=postgres`: a database of this data directory's own (the
    /// same one again when a test restarts the server on the directory), and a master
    /// key file beside the directory.
    private static func placeOnPostgres(_ dataDirectory: URL, _ arguments: inout [String], _ environment: inout [String: String]) throws {
        guard let server = TestPostgres.server else { return }
        let name = "e2e_" + String(dataDirectory.lastPathComponent.utf8.reduce(UInt64(14_695_981_039_346_656_037)) {
            ($0 ^ UInt64($1)) &* 1_099_511_628_211
        }, radix: 36)
        let keyFile = dataDirectory.path + ".master.key"
        let database: TestPostgres
        if FileManager.default.fileExists(atPath: keyFile) {
            database = TestPostgres(host: server.host, port: server.port, user: server.user, password: server.password, database: name)
        } else {
            database = try server.createDatabase(named: name)
            try FileManager.default.moveItem(at: try TestPostgres.makeMasterKeyFile(), to: URL(fileURLWithPath: keyFile))
        }
        if !arguments.contains("--master-key-file") { arguments += ["--master-key-file", keyFile] }
        arguments += ["--postgres", database.url]
        environment.merge(database.nodeEnvironment) { given, _ in given }
    }

    /// Everything the server wrote to standard error so far.
    public var log: String { logLock.withLock { logText } }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains("warden ready") }) {
                linePort = Self.port(after: "line=", in: String(line))
                httpPort = Self.port(after: "http=", in: String(line))
                return
            }
            if !process.isRunning { throw WardenProcessError.exited(process.terminationStatus, log) }
            usleep(20_000)
        }
        throw WardenProcessError.notReady(log)
    }

    /// The port of `key=HOST:PORT` in the ready line.
    private static func port(after key: String, in line: String) -> Int {
        guard let range = line.range(of: key) else { return 0 }
        let address = line[range.upperBound...].prefix { $0 != " " }
        return Int(address.split(separator: ":").last ?? "") ?? 0
    }

    /// A new connection to the line port.
    public func connect() throws -> LineConnection { try LineConnection(port: linePort) }

    /// A connection already authenticated as the bootstrap admin.
    public func admin() throws -> LineConnection {
        let connection = try connect()
        let reply = try connection.send("AUTH admin \(WardenProcess.adminPassword)")
        guard reply.isOK else { throw WardenProcessError.authFailed(reply.final) }
        return connection
    }

    /// Sends each line as the admin and requires `OK` (test set-up).
    public func setUp(_ lines: [String]) throws {
        let connection = try admin()
        for line in lines {
            let reply = try connection.send(line)
            guard reply.isOK else { throw WardenProcessError.setUpFailed(line, reply.final) }
        }
    }

    /// The variables `warden cli`, `warden import` and the scripts read.
    public var environment: [String: String] {
        ["WARDEN_HOST": "127.0.0.1", "WARDEN_PORT": String(linePort), "WARDEN_USER": "admin",
         "WARDEN_PASSWORD": WardenProcess.adminPassword]
    }

    /// Stops the server and removes its data.
    public func stop() {
        terminate()
        removeData()
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    public func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        // A server that does not stop within 30 s fails the test instead of hanging it.
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: no chance to clean up.
    public func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public func removeData() {
        try? FileManager.default.removeItem(at: dataDirectory)
        try? FileManager.default.removeItem(atPath: dataDirectory.path + ".master.key")
    }
}

public enum WardenProcessError: Error, CustomStringConvertible {
    case exited(Int32, String)
    case notReady(String)
    case authFailed(String)
    case setUpFailed(String, String)

    public var description: String {
        switch self {
        case .exited(let status, let log): "warden exited with \(status): \(log)"
        case .notReady(let log): "warden did not become ready: \(log)"
        case .authFailed(let line): "AUTH failed: \(line)"
        case .setUpFailed(let request, let reply): "set-up request \(request) got \(reply)"
        }
    }
}

/// Runs `warden` with arguments (not serve) and returns its exit status and output.
public func runWarden(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = WardenProcess.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
