import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's nginx run by a test: a generated configuration in a temporary folder,
/// in front of a tiny upstream application (`oauth/echo_upstream.py`), both on
/// loopback ports of their own. Stopped by `stop()`.
final class NginxFrontEnd {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("oauth")
    static let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { binary != nil }

    let directory = WardenProcess.temporaryDirectory("nginx")
    let port: Int
    private let nginx = Process()
    private let upstream = Process()

    init(wardenHTTPPort: Int) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try NginxFrontEnd.freePort()
        let upstreamPort = try NginxFrontEnd.freePort()
        let template = try String(contentsOf: NginxFrontEnd.folder.appendingPathComponent("nginx.conf.template"), encoding: .utf8)
        let configuration = template.replacingOccurrences(of: "DIR", with: directory.path)
            .replacingOccurrences(of: "NGINX_PORT", with: String(port))
            .replacingOccurrences(of: "UPSTREAM_PORT", with: String(upstreamPort))
            .replacingOccurrences(of: "WARDEN_PORT", with: String(wardenHTTPPort))
        let file = directory.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)

        upstream.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        upstream.arguments = ["python3", NginxFrontEnd.folder.appendingPathComponent("echo_upstream.py").path, String(upstreamPort)]
        upstream.standardOutput = FileHandle.nullDevice
        upstream.standardError = FileHandle.nullDevice
        try upstream.run()

        nginx.executableURL = URL(fileURLWithPath: try NginxFrontEnd.binary.unwrap("nginx is not installed"))
        nginx.arguments = ["-p", directory.path, "-c", file.path, "-e", directory.appendingPathComponent("error.log").path]
        nginx.standardOutput = FileHandle.nullDevice
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        try NginxFrontEnd.waitForListener(port: upstreamPort, process: upstream, what: "the upstream")
        try NginxFrontEnd.waitForListener(port: port, process: nginx, what: "nginx: \(errorLog)")
    }

    var errorLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
    }

    /// SIGKILL: the children of the test process start with SIGTERM blocked (the mask
    /// Foundation's `Process` passes on), and nginx without a master process keeps it so.
    func stop() {
        for process in [nginx, upstream] where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A GET through nginx.
    func get(_ path: String, token: String?) throws -> HTTPResponse {
        try httpRequest(port: port, method: "GET", path: path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    /// A loopback port nobody listens on now (the system's choice for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw NginxError(message: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func waitForListener(port: Int, process: Process, what: String) throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? LineConnection(port: port, timeout: 1)) != nil { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NginxError(message: "\(what) did not start listening on \(port)")
    }
}

struct NginxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let self else { throw NginxError(message: message) }
        return self
    }
}
