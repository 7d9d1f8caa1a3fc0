import CBenchSupport
import Dispatch
import Foundation
import Histogram

/// What one connection measured, per command.
struct Measured {
    var histograms: [Command: Histogram<UInt64>] = [:]
    var errors: [Command: Int] = [:]
    var firstError: String?
    /// Replies that arrived inside the measured window (the throughput).
    var completions: [Command: Int] = [:]
    /// When the last reply inside the window arrived (monotonic ns).
    var lastReply: UInt64 = 0
    /// Whether the connection ran out of requests (the token pool) before the window ended.
    var exhausted = false
    /// Connections that failed (closed, refused) before the end.
    var connectionFailures = 0

    static func histogram() -> Histogram<UInt64> {
        // Nanoseconds, from 1 µs to 100 s, three significant digits.
        Histogram(lowestDiscernibleValue: 1_000, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }

    mutating func record(_ command: Command, nanoseconds: UInt64) {
        _ = histograms[command, default: Measured.histogram()].record(max(1_000, min(nanoseconds, 100_000_000_000)))
    }

    mutating func merge(_ other: Measured) {
        for (command, histogram) in other.histograms {
            histograms[command, default: Measured.histogram()].add(histogram)
        }
        for (command, count) in other.errors { errors[command, default: 0] += count }
        for (command, count) in other.completions { completions[command, default: 0] += count }
        firstError = firstError ?? other.firstError
        lastReply = max(lastReply, other.lastReply)
        connectionFailures += other.connectionFailures
    }
}

/// The closed loop of one connection: write `depth` requests, read `depth` replies,
/// record each reply's latency from the moment its batch was written.
///
/// Latency is recorded for every batch written inside the window; throughput counts
/// the replies that arrive inside it, so that requests in flight at either edge of
/// the window neither inflate nor deflate the rate (a LOGIN takes about a second).
final class ConnectionWorker: @unchecked Sendable {
    private let client: LineClient
    private var source: RequestSource
    private let depth: Int
    private(set) var measured = Measured()

    init(client: LineClient, source: RequestSource, depth: Int) {
        self.client = client
        self.source = source
        self.depth = depth
    }

    /// Runs until `end` (or until the requests run out); records replies to batches
    /// written at or after `measureFrom`.
    func run(measureFrom: UInt64, end: UInt64) {
        var batch: [Command] = []
        var bytes: [UInt8] = []
        batch.reserveCapacity(depth)
        do {
            while bench_now_ns() < end {
                batch.removeAll(keepingCapacity: true)
                bytes.removeAll(keepingCapacity: true)
                for _ in 0..<depth {
                    guard let (command, line) = source.next() else { break }
                    batch.append(command)
                    bytes.append(contentsOf: line.utf8)
                }
                if batch.isEmpty {
                    measured.exhausted = true
                    break
                }
                let sent = bench_now_ns()
                try client.send(bytes)
                for command in batch {
                    let line = try readFinalLine(command)
                    let now = bench_now_ns()
                    if now >= measureFrom, now <= end {
                        measured.completions[command, default: 0] += 1
                        measured.lastReply = now
                    }
                    guard sent >= measureFrom else { continue }
                    measured.record(command, nanoseconds: now - sent)
                    if !command.accepts(line) {
                        measured.errors[command, default: 0] += 1
                        if measured.firstError == nil { measured.firstError = String(decoding: line, as: UTF8.self) }
                    }
                }
            }
        } catch {
            measured.firstError = measured.firstError ?? "\(error)"
            measured.connectionFailures += 1
        }
    }

    private func readFinalLine(_ command: Command) throws -> ArraySlice<UInt8> {
        while true {
            let line = try client.readLineBytes()
            // Warden's data lines start with "* "; none of the measured commands sends
            // any, but skip them so a list reply cannot desynchronise the count.
            if command != .sismember, line.starts(with: "* ".utf8) { continue }
            return line
        }
    }
}

/// Runs every worker on its own thread and waits for all of them.
enum LoadRunner {
    struct Result {
        /// One entry a worker, in the order given.
        var measured: [Measured]
        /// The window: its full length, or up to the last reply when every connection
        /// ran out of requests before it ended.
        var seconds: Double
    }

    static func run(_ workers: [ConnectionWorker], warmup: Double, duration: Double) -> Result {
        let start = bench_now_ns()
        let measureFrom = start + UInt64(warmup * 1e9)
        let end = measureFrom + UInt64(duration * 1e9)
        let group = DispatchGroup()
        for (index, worker) in workers.enumerated() {
            group.enter()
            let thread = Thread {
                worker.run(measureFrom: measureFrom, end: end)
                group.leave()
            }
            thread.name = "bench-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let measured = workers.map(\.measured)
        let allExhausted = measured.allSatisfy(\.exhausted)
        let finished = allExhausted ? max(measured.map(\.lastReply).max() ?? 0, measureFrom + 1) : end
        return Result(measured: measured, seconds: Double(finished - measureFrom) / 1e9)
    }
}
