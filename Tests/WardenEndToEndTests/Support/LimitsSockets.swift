import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Socket-level helpers for the Limits and Crash suites: watching for the server to
/// hang up without reading, writing from another thread, and the server's memory.

extension LineConnection {
    /// Reads lines until the server closes the connection (`closed` true) or nothing
    /// arrives for `seconds` (`closed` false). Returns what was read, a last
    /// unterminated line excluded.
    func readUntilClosed(within seconds: Int) -> (lines: [String], closed: Bool) {
        setTimeout(seconds)
        var lines: [String] = []
        while true {
            do {
                lines.append(try readLine())
            } catch LineConnectionError.closed {
                return (lines, true)
            } catch {
                return (lines, false)
            }
        }
    }

    /// Whether the server hangs up within `seconds`, found out without reading, so that
    /// a client that "never reads" stays one. A FIN shows as POLLRDHUP, a reset as POLLHUP
    /// or POLLERR.
    func peerHangsUp(within seconds: Double) -> Bool {
        let rdhup: Int16 = 0x2000 // POLLRDHUP (Linux)
        var entry = pollfd(fd: descriptor, events: rdhup, revents: 0)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let milliseconds = Int32(max(1, min(500, deadline.timeIntervalSinceNow * 1000)))
            if poll(&entry, 1, milliseconds) > 0, entry.revents & (rdhup | Int16(POLLHUP) | Int16(POLLERR)) != 0 {
                return true
            }
        }
        return false
    }

    /// Bounds how long a blocked write waits, so a test cannot hang on a full socket.
    func setSendTimeout(_ seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// Writes `bytes` to `descriptor` on another thread until done or the socket fails;
/// `done` is signalled either way. The caller keeps the connection open until then.
func writeInBackground(_ bytes: [UInt8], to descriptor: Int32, done: DispatchSemaphore) {
    let thread = Thread {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { break }
            offset += written
        }
        done.signal()
    }
    thread.start()
}

extension WardenProcess {
    /// The server's peak resident memory so far (VmHWM), in bytes.
    var peakResidentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kilobytes * 1024
    }
}
