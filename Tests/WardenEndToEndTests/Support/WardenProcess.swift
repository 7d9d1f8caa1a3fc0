import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `warden serve` binary, started on loopback ports chosen by the kernel,
/// with a temporary data directory. End-to-end tests drive it over real sockets.
final class WardenProcess: @unchecked Sendable {
    static let adminPassword = "Bootstrap-Admin-Pass-1"

    let dataDirectory: URL
    let process = Process()
    private let logPipe = Pipe()
    private let logLock = NSLock()
    private var logText = ""
    private(set) var linePort = 0
    private(set) var httpPort = 0

    /// The built binary: `WARDEN_BIN`, or `.build/debug/warden` of this package.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WARDEN_BIN"] { return URL(fileURLWithPath: path) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/warden")
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("warden-e2e-\(UUID().uuidString)")
        return url
    }

    /// Starts a server and waits until both ports accept connections.
    init(
        dataDirectory: URL = WardenProcess.temporaryDirectory(), arguments: [String] = [],
        adminPassword: String? = WardenProcess.adminPassword, environment: [String: String] = [:]
    ) throws {
        self.dataDirectory = dataDirectory
        process.executableURL = WardenProcess.binary
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

    /// Everything the server wrote to standard error so far.
    var log: String { logLock.withLock { logText } }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains("warden ready") }) {
                linePort = Self.port(after: "line=127.0.0.1:", in: String(line))
                httpPort = Self.port(after: "http=127.0.0.1:", in: String(line))
                return
            }
            if !process.isRunning { throw WardenProcessError.exited(process.terminationStatus, log) }
            usleep(20_000)
        }
        throw WardenProcessError.notReady(log)
    }

    private static func port(after marker: String, in line: String) -> Int {
        guard let range = line.range(of: marker) else { return 0 }
        return Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    /// A new connection to the line port.
    func connect() throws -> LineConnection { try LineConnection(port: linePort) }

    /// A connection already authenticated as the bootstrap admin.
    func admin() throws -> LineConnection {
        let connection = try connect()
        let reply = try connection.send("AUTH admin \(WardenProcess.adminPassword)")
        guard reply.isOK else { throw WardenProcessError.authFailed(reply.final) }
        return connection
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func terminate() -> Int32 {
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
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func removeData() {
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}

enum WardenProcessError: Error, CustomStringConvertible {
    case exited(Int32, String)
    case notReady(String)
    case authFailed(String)

    var description: String {
        switch self {
        case .exited(let status, let log): "warden exited with \(status): \(log)"
        case .notReady(let log): "warden did not become ready: \(log)"
        case .authFailed(let line): "AUTH failed: \(line)"
        }
    }
}

/// Runs `warden` with arguments (not serve) and returns its exit status and output.
func runWarden(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
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
