import Synchronization

/// Counters and latency histograms for `GET /metrics`, rendered as Prometheus text.
///
/// A small registry of our own rather than swift-metrics + swift-prometheus: Warden
/// exports a dozen series, and this keeps two packages out of every build.
public final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: Metrics.buckets.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct State {
        var commands: [String: [String: UInt64]] = [:]
        var latency: [String: Histogram] = [:]
        var counters: [String: UInt64] = [:]
        var connections = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one command: its name, its result (`ok` or the error code) and how long it took.
    public func recordCommand(_ name: String, result: String, seconds: Double) {
        state.withLock { state in
            state.commands[name, default: [:]][result, default: 0] += 1
            var histogram = state.latency[name] ?? Histogram()
            if let bucket = Metrics.buckets.firstIndex(where: { seconds <= $0 }) { histogram.counts[bucket] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.latency[name] = histogram
        }
    }

    /// Adds one to a named counter (`logins_ok`, `tokens_issued`, …).
    public func increment(_ counter: String) {
        state.withLock { $0.counters[counter, default: 0] += 1 }
    }

    public func connectionOpened() { state.withLock { $0.connections += 1 } }
    public func connectionClosed() { state.withLock { $0.connections -= 1 } }
    public var openConnections: Int { state.withLock { $0.connections } }

    /// The Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP warden_commands_total Line-protocol commands by name and result.\n# TYPE warden_commands_total counter\n"
        for (name, results) in snapshot.commands.sorted(by: { $0.key < $1.key }) {
            for (result, count) in results.sorted(by: { $0.key < $1.key }) {
                out += "warden_commands_total{command=\"\(name)\",result=\"\(result)\"} \(count)\n"
            }
        }
        out += "# HELP warden_command_duration_seconds Time to answer a command.\n# TYPE warden_command_duration_seconds histogram\n"
        for (name, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (index, bound) in Metrics.buckets.enumerated() {
                cumulative += histogram.counts[index]
                out += "warden_command_duration_seconds_bucket{command=\"\(name)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "warden_command_duration_seconds_bucket{command=\"\(name)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "warden_command_duration_seconds_sum{command=\"\(name)\"} \(histogram.sum)\n"
            out += "warden_command_duration_seconds_count{command=\"\(name)\"} \(histogram.count)\n"
        }
        out += "# HELP warden_connections Open line-protocol connections.\n# TYPE warden_connections gauge\n"
        out += "warden_connections \(snapshot.connections)\n"
        let described: [(String, String)] = [
            ("logins_ok", "Successful LOGIN, AUTH and HTTP Basic authentications."),
            ("logins_failed", "Failed LOGIN, AUTH and HTTP Basic authentications."),
            ("tokens_issued", "Tokens issued."),
            ("tokens_validated", "Token validations (VALIDATE and /introspect)."),
            ("http_requests", "HTTP requests."),
        ]
        for (name, help) in described {
            out += "# HELP warden_\(name)_total \(help)\n# TYPE warden_\(name)_total counter\n"
            out += "warden_\(name)_total \(snapshot.counters[name] ?? 0)\n"
        }
        return out
    }
}
