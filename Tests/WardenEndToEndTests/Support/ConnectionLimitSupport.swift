import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the connection-slot tests: a client connecting from a chosen loopback
/// address, the server's open descriptors, and lowering its open-file limit.

/// A TCP connection to 127.0.0.1:`port` made from `source` (any 127.0.0.0/8 address
/// is this machine's), so that the server sees another client address.
func connect(from source: String, port: Int, timeout: Int = 10) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw LineConnectionError.socket(errno) }
    var timeoutValue = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeoutValue, socklen_t(MemoryLayout<timeval>.size))
    func address(_ host: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }
    var local = address(source, 0)
    var remote = address("127.0.0.1", port)
    let bound = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    let connected = bound == 0 ? withUnsafePointer(to: &remote) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } : -1
    guard connected == 0 else {
        let error = errno
        close(descriptor)
        throw LineConnectionError.connect(error)
    }
    return descriptor
}

/// Sends `line` and returns the next line read (without LF), or nil when the server
/// closed the connection or nothing came before the receive timeout.
func exchange(_ descriptor: Int32, _ line: String) -> String? {
    let bytes = Array((line + "\n").utf8)
    guard bytes.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return nil }
    return readLine(descriptor)
}

/// The next line the server sends (without LF), or nil at end of stream or timeout.
func readLine(_ descriptor: Int32) -> String? {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while recv(descriptor, &byte, 1, 0) == 1 {
        if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
        line.append(byte)
    }
    return nil
}

extension WardenProcess {
    /// How many file descriptors the server holds open now.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? -1
    }

    /// Lowers the server's limit on open files (soft and hard) while it runs, as a
    /// small `ulimit -n` would, with util-linux's `prlimit`; returns whether it worked.
    func limitOpenFiles(to count: Int) throws -> Bool {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        tool.arguments = ["--pid", String(process.processIdentifier), "--nofile=\(count):\(count)"]
        try tool.run()
        tool.waitUntilExit()
        return tool.terminationStatus == 0
    }
}
