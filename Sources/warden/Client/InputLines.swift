import Foundation

/// Lines of standard input, read on a thread of their own so that replies can be
/// printed while the input is still coming (a pipe may deliver lines slowly).
///
/// Each element is the lines that one `read` completed, numbered from 1, without
/// their LF or CR; the last line may lack its LF.
enum InputLines {
    struct Line: Sendable {
        var number: Int
        var bytes: [UInt8]
    }

    static func standardInput() -> AsyncStream<[Line]> {
        let (stream, continuation) = AsyncStream<[Line]>.makeStream()
        let thread = Thread {
            var pending: [UInt8] = []
            var number = 0
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                var lines: [Line] = []
                for byte in chunk[0..<count] {
                    if byte == UInt8(ascii: "\n") {
                        number += 1
                        lines.append(Line(number: number, bytes: trimmed(pending)))
                        pending.removeAll(keepingCapacity: true)
                    } else {
                        pending.append(byte)
                    }
                }
                if !lines.isEmpty { continuation.yield(lines) }
            }
            if !pending.isEmpty { continuation.yield([Line(number: number + 1, bytes: trimmed(pending))]) }
            continuation.finish()
        }
        thread.start()
        return stream
    }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : bytes
    }
}
