import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A reply as read off the wire: its data lines (without `* `) and its final line.
public struct WireReply: CustomStringConvertible, Sendable {
    public var data: [String]
    public var final: String

    public var isOK: Bool { final == "OK" || final.hasPrefix("OK ") }
    /// The error code of an `ERR CODE message` line.
    public var errorCode: String? {
        guard final.hasPrefix("ERR ") else { return nil }
        return final.dropFirst(4).split(separator: " ").first.map(String.init)
    }
    /// The value of `key=value` on the final line (unquoted only).
    public func value(_ key: String) -> String? { WireReply.value(key, in: final) }

    public static func value(_ key: String, in line: String) -> String? {
        for word in line.split(separator: " ") where word.hasPrefix(key + "=") {
            return String(word.dropFirst(key.count + 1))
        }
        return nil
    }

    public var description: String { (data.map { "* " + $0 } + [final]).joined(separator: "\n") }
}

/// A plain blocking TCP client for the line protocol: what `nc` would do.
public final class LineConnection {
    public let descriptor: Int32
    private var buffer: [UInt8] = []

    public init(host: String = "127.0.0.1", port: Int, timeout seconds: Int = 30) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LineConnectionError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw LineConnectionError.connect(errno)
        }
        setTimeout(seconds)
    }

    deinit { close(descriptor) }

    public func setTimeout(_ seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes raw bytes.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw LineConnectionError.closed }
            offset += written
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Sends one request line and reads its reply.
    public func send(_ line: String) throws -> WireReply {
        try write(line + "\n")
        return try readReply()
    }

    /// Reads one line (without LF), or throws `closed` at end of stream.
    public func readLine() throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { throw LineConnectionError.closed }
            if count < 0 { throw errno == EAGAIN ? LineConnectionError.timeout : LineConnectionError.closed }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Reads everything up to the end of the stream (or a timeout), a last line
    /// without LF included: an HTTP body, say.
    public func readToEnd() -> [UInt8] {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            buffer.append(contentsOf: chunk[0..<count])
        }
        defer { buffer.removeAll() }
        return buffer
    }

    /// Reads data lines up to and including the final `OK`/`ERR` line.
    public func readReply() throws -> WireReply {
        var data: [String] = []
        while true {
            let line = try readLine()
            if line.hasPrefix("* ") {
                data.append(String(line.dropFirst(2)))
            } else {
                return WireReply(data: data, final: line)
            }
        }
    }

    /// Whether the server has closed the connection (reads until EOF or timeout).
    public func isClosedByServer(within seconds: Int) -> Bool {
        setTimeout(seconds)
        while true {
            do {
                _ = try readLine()
            } catch LineConnectionError.closed {
                return true
            } catch {
                return false
            }
        }
    }
}

public enum LineConnectionError: Error, Sendable {
    case socket(Int32)
    case connect(Int32)
    case closed
    case timeout
}
