import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `warden serve` binary on kernel-chosen ports with a temporary data
/// directory (copied in part from the end-to-end tests' support, which this target
/// does not import).
final class WardenProcess: @unchecked Sendable {
    static let adminPassword = "Bootstrap-Admin-Pass-1"

    let dataDirectory: URL
    let process = Process()
    private let logPipe = Pipe()
    private let logLock = NSLock()
    private var logText = ""
    private(set) var linePort = 0
    private(set) var httpPort = 0

    /// The package root, found from this file's place in it.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary: `WARDEN_BIN`, or `.build/debug/warden` of this package.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WARDEN_BIN"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/warden")
    }

    static func temporaryDirectory(_ kind: String = "data") -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("warden-tools-\(kind)-\(UUID().uuidString)")
    }

    /// Starts a server and waits until both ports accept connections. Later
    /// `arguments` win over the defaults (`--listen 127.0.0.1:0` …).
    init(arguments: [String] = []) throws {
        dataDirectory = WardenProcess.temporaryDirectory()
        process.executableURL = WardenProcess.binary
        process.arguments = ["serve", "--data", dataDirectory.path, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0",
                             "--scrypt-ln", "4"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["WARDEN_ADMIN_PASSWORD"] = WardenProcess.adminPassword
        process.environment = environment
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

    var log: String { logLock.withLock { logText } }

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

    /// A connection already authenticated as the bootstrap admin.
    func admin() throws -> LineConnection {
        let connection = try LineConnection(port: linePort)
        let reply = try connection.send("AUTH admin \(WardenProcess.adminPassword)")
        guard reply.isOK else { throw WardenProcessError.authFailed(reply.final) }
        return connection
    }

    /// Sends each line as the admin and requires `OK` (test set-up).
    func setUp(_ lines: [String]) throws {
        let connection = try admin()
        for line in lines {
            let reply = try connection.send(line)
            guard reply.isOK else { throw WardenProcessError.setUpFailed(line, reply.final) }
        }
    }

    /// The variables `warden cli`, `warden import` and the scripts read.
    var environment: [String: String] {
        ["WARDEN_HOST": "127.0.0.1", "WARDEN_PORT": String(linePort), "WARDEN_USER": "admin",
         "WARDEN_PASSWORD": WardenProcess.adminPassword]
    }

    @discardableResult
    func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Stops the server and removes its data.
    func stop() {
        terminate()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

enum WardenProcessError: Error, CustomStringConvertible {
    case exited(Int32, String)
    case notReady(String)
    case authFailed(String)
    case setUpFailed(String, String)

    var description: String {
        switch self {
        case .exited(let status, let log): "warden exited with \(status): \(log)"
        case .notReady(let log): "warden did not become ready: \(log)"
        case .authFailed(let line): "AUTH failed: \(line)"
        case .setUpFailed(let request, let reply): "set-up request \(request) got \(reply)"
        }
    }
}
