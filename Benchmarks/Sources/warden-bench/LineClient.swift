#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP connection that sends request lines and reads reply lines.
///
/// One thread owns one client (the load generator runs a thread per connection),
/// so there is no locking. Reads are buffered: a pipelined batch of replies usually
/// arrives in one `read`.
final class LineClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0

    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw Failure(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        #if canImport(Glibc)
        let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        #else
        let fd = Darwin.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to \(host):\(port)")
        }
        // Requests are small and latency matters: no Nagle delay.
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
    }

    deinit { close(socket) }

    /// Writes `bytes` whole.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        try bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = write(socket, raw.baseAddress! + offset, raw.count - offset)
                guard written > 0 else { throw Failure(description: "connection closed while writing") }
                offset += written
            }
        }
    }

    func send(line: String) throws {
        try send(Array((line + "\n").utf8))
    }

    /// The next line without its LF (and CR), as raw bytes.
    func readLineBytes() throws -> ArraySlice<UInt8> {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = buffer[start..<lineEnd]
                start = newline + 1
                return line
            }
            try fill()
        }
    }

    func readLine() throws -> String {
        String(decoding: try readLineBytes(), as: UTF8.self)
    }

    /// Reads one whole Warden reply: data lines (`* …`), then the final line, which it returns.
    func readReply() throws -> String {
        while true {
            let line = try readLine()
            if !line.hasPrefix("* ") { return line }
        }
    }

    /// Sends one request and returns the final line of its reply.
    func request(_ line: String) throws -> String {
        try send(line: line)
        return try readReply()
    }

    private func fill() throws {
        if start == end {
            start = 0
            end = 0
        } else if end == buffer.count {
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                start = 0
            } else {
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
        }
        let count = buffer.withUnsafeMutableBytes { raw in
            read(socket, raw.baseAddress! + end, raw.count - end)
        }
        guard count > 0 else { throw Failure(description: "connection closed by the server") }
        end += count
    }
}
