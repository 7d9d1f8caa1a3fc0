import Foundation

// Every file of this target uses the shared server process and line client.
@_exported import WardenTestSupport

/// Runs `arguments` through `/usr/bin/env` with `environment` added to this process's,
/// and returns its exit status and what it wrote (standard output and error together).
func runCapturing(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
