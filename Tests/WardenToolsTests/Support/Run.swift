import Foundation

/// What a finished process left: its exit status and its output.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs a program to its end. Standard input is written, and standard error read,
/// on other threads, so that no pipe fills up while the other is waited for.
func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
         directory: URL? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    // A test's server, not whatever the developer's shell points at.
    for key in ["WARDEN_HOST", "WARDEN_PORT", "WARDEN_USER", "WARDEN_PASSWORD", "WARDEN_PASSWORD_FILE", "WARDEN_TLS", "WARDEN_CA"] {
        env[key] = nil
    }
    env["WARDEN_BIN"] = WardenProcess.binary.path
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    let group = DispatchGroup()
    let errorBox = Box()
    DispatchQueue.global().async(group: group) {
        errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
    }
    DispatchQueue.global().async(group: group) {
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: errorBox.data, as: UTF8.self))
}

private final class Box: @unchecked Sendable {
    var data = Data()
}

/// `warden ARGUMENTS` with the connection variables of `server`.
func warden(_ arguments: [String], server: WardenProcess?, environment: [String: String] = [:], stdin: String? = nil,
            directory: URL? = nil) throws -> RunResult {
    var env = server?.environment ?? [:]
    for (key, value) in environment { env[key] = value }
    return try run(WardenProcess.binary, arguments, environment: env, stdin: stdin, directory: directory)
}

/// `scripts/NAME ARGUMENTS` with the connection variables of `server`.
func script(_ name: String, _ arguments: [String], server: WardenProcess, directory: URL? = nil) throws -> RunResult {
    try run(WardenProcess.packageRoot.appendingPathComponent("scripts/\(name)"), arguments, environment: server.environment,
            directory: directory)
}

/// A temporary directory, removed by `body`'s end.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = WardenProcess.temporaryDirectory("work")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// The permission bits of a file.
func fileMode(_ url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
}
