import Synchronization
import WardenProtocol

/// Counters and latency histograms for `GET /metrics`, rendered as Prometheus text.
///
/// A small registry of our own rather than swift-metrics + swift-prometheus: Warden
/// exports a dozen series, and this keeps two packages out of every build.
///
/// Recording runs once per command on the event loops, so it is kept cheap: series
/// live in arrays indexed by the fixed list of command names of `HELP` (one dictionary
/// look-up, no per-command allocation). The fixed list also bounds the label set: a client
/// sending made-up command names adds to `other`, not to the exposition.
public final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The commands that get series of their own, the `HELP` catalog's, then `other`
    /// for anything else.
    private let commandNames: [String]
    private let commandIndex: [String: Int]

    private struct Series {
        var ok: UInt64 = 0
        /// Error replies by code; codes are a small fixed set.
        var errors: [ErrorCode: UInt64] = [:]
        var buckets = [UInt64](repeating: 0, count: Metrics.buckets.count)
        var count: UInt64 = 0
        var sum: Double = 0

        mutating func record(result: ErrorCode?, seconds: Double) {
            if let result { errors[result, default: 0] += 1 } else { ok += 1 }
            if let bucket = Metrics.buckets.firstIndex(where: { seconds <= $0 }) { buckets[bucket] += 1 }
            count += 1
            sum += seconds
        }
    }

    private struct State {
        var series: [Series]
        var counters: [String: UInt64] = [:]
        var connections = 0
    }

    private let state: Mutex<State>

    init(commands: [String]) {
        commandNames = commands + ["other"]
        commandIndex = Dictionary(uniqueKeysWithValues: commandNames.enumerated().map { ($0.element, $0.offset) })
        state = Mutex(State(series: [Series](repeating: Series(), count: commandNames.count)))
    }

    /// A registry for Warden's own commands.
    public convenience init() {
        self.init(commands: WardenService.commands.map(\.name))
    }

    /// Records one command: its name, its error code (`nil` for `OK`) and how long it took.
    public func recordCommand(_ name: String, error: ErrorCode?, seconds: Double) {
        recordCommand(series: series(named: name), error: error, seconds: seconds)
    }

    /// Where `name`'s series is (`other`'s for a name without one of its own): a caller
    /// on a hot path looks it up once (hashing the name was 8% of a `CHECK`).
    public func series(named name: String) -> Int {
        commandIndex[name] ?? commandNames.count - 1
    }

    /// As `recordCommand(_:error:seconds:)`, with the series already looked up.
    public func recordCommand(series: Int, error: ErrorCode?, seconds: Double) {
        state.withLock { $0.series[series].record(result: error, seconds: seconds) }
    }

    /// Adds one to a named counter (`logins_ok`, `tokens_issued`, …).
    public func increment(_ counter: String) {
        state.withLock { $0.counters[counter, default: 0] += 1 }
    }

    public func connectionOpened() { state.withLock { $0.connections += 1 } }
    public func connectionClosed() { state.withLock { $0.connections -= 1 } }

    /// The Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        let used = zip(commandNames, snapshot.series).filter { $0.1.count > 0 }.sorted { $0.0 < $1.0 }
        var out = "# HELP warden_commands_total Line-protocol commands by name and result.\n# TYPE warden_commands_total counter\n"
        for (name, series) in used {
            var results = series.errors.map { ($0.key.rawValue, $0.value) }
            if series.ok > 0 { results.append(("ok", series.ok)) }
            for (result, count) in results.sorted(by: { $0.0 < $1.0 }) {
                out += "warden_commands_total{command=\"\(name)\",result=\"\(result)\"} \(count)\n"
            }
        }
        out += "# HELP warden_command_duration_seconds Time to answer a command.\n# TYPE warden_command_duration_seconds histogram\n"
        for (name, series) in used {
            var cumulative: UInt64 = 0
            for (index, bound) in Metrics.buckets.enumerated() {
                cumulative += series.buckets[index]
                out += "warden_command_duration_seconds_bucket{command=\"\(name)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "warden_command_duration_seconds_bucket{command=\"\(name)\",le=\"+Inf\"} \(series.count)\n"
            out += "warden_command_duration_seconds_sum{command=\"\(name)\"} \(series.sum)\n"
            out += "warden_command_duration_seconds_count{command=\"\(name)\"} \(series.count)\n"
        }
        out += "# HELP warden_connections Open line-protocol connections.\n# TYPE warden_connections gauge\n"
        out += "warden_connections \(snapshot.connections)\n"
        let described: [(String, String)] = [
            ("logins_ok", "Successful LOGIN, AUTH and HTTP Basic authentications."),
            ("logins_failed", "Failed LOGIN, AUTH and HTTP Basic authentications."),
            ("tokens_issued", "Tokens issued."),
            ("tokens_validated", "Token validations (VALIDATE and /introspect)."),
            ("http_requests", "HTTP requests."),
            ("forward_auth_allowed", "GET /forward-auth answered 200: a valid token, access allowed."),
            ("forward_auth_denied", "GET /forward-auth answered 403: a valid token, access denied."),
            ("forward_auth_unauthorized", "GET /forward-auth answered 401: no token, or one that is not valid for the system."),
            ("scrypt_derivations", "Password checks, each one scrypt derivation at the configured cost or above (unknown users and over-long secrets included)."),
        ]
        for (name, help) in described {
            out += "# HELP warden_\(name)_total \(help)\n# TYPE warden_\(name)_total counter\n"
            out += "warden_\(name)_total \(snapshot.counters[name] ?? 0)\n"
        }
        return out
    }
}
