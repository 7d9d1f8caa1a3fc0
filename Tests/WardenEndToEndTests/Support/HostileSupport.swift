import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Measures another client's `PING` latency while a test is hostile to the server:
/// one connection of its own, a `PING` every `interval`, each round trip timed.
final class Pinger: @unchecked Sendable {
    private let connection: LineConnection
    private let interval: useconds_t
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var failures: [String] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, intervalMilliseconds: Int = 20) throws {
        connection = try LineConnection(port: port, timeout: 10)
        interval = useconds_t(intervalMilliseconds * 1000)
        Thread.detachNewThread { [self] in loop() }
    }

    private func loop() {
        defer { done.signal() }
        while !lock.withLock({ stopped }) {
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let reply = try connection.send("PING")
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                lock.withLock {
                    latencies.append(seconds)
                    if reply.final != "OK PONG" { failures.append(reply.final) }
                }
            } catch {
                lock.withLock { failures.append("\(error)") }
                return
            }
            usleep(interval)
        }
    }

    /// Stops (after at least `minimumSamples` PINGs, or 10 s) and returns what was measured.
    /// Waiting for a minimum keeps the figures meaningful when the attack under test was
    /// over sooner than expected on a fast machine.
    func stop(minimumSamples: Int = 10) -> (count: Int, p50: Double, p99: Double, max: Double, failures: [String]) {
        let deadline = Date().addingTimeInterval(10)
        while lock.withLock({ latencies.count < minimumSamples && failures.isEmpty }), Date() < deadline {
            usleep(10_000)
        }
        lock.withLock { stopped = true }
        done.wait()
        let sorted = lock.withLock { latencies.sorted() }
        func quantile(_ q: Double) -> Double { sorted.isEmpty ? .infinity : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return (sorted.count, quantile(0.5), quantile(0.99), sorted.last ?? .infinity, lock.withLock { failures })
    }
}

/// The resident memory of a process, from `/proc/PID/status` (`VmRSS`), in bytes.
func residentBytes(of pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes * 1024
}

/// Raises this process's soft limit on open files towards `wanted` (the server,
/// started afterwards, inherits it); returns the limit now in force.
func raiseOpenFileLimit(to wanted: Int) -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    if limit.rlim_cur < rlim_t(wanted) {
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(limit.rlim_cur)
}
