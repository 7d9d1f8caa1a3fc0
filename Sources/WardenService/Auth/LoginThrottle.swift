import Synchronization
import WardenCore

/// Slows password guessing (SPEC §2.4): after 5 consecutive failures for one
/// username from one source address, that source's further attempts for that
/// username are answered only after 1 s, 2 s, 4 s … at most 60 s. A success resets it.
///
/// It never locks an account (an attacker could use that against the admin), and
/// it slows only the pair it has seen fail: other usernames, other sources and other
/// connections are answered at full speed. The delay is an `await`, never a block.
public final class LoginThrottle: Sendable {
    public static let freeFailures = 5
    public static let maximumDelay: Int64 = 60
    /// A pair forgotten this long after its last failure starts afresh.
    static let memory: Int64 = 15 * 60 * 1000
    /// Bounds the memory an attacker can make it use by trying many names.
    static let maximumEntries = 100_000

    private struct Key: Hashable {
        var username: String
        var source: String
    }

    private struct Entry {
        var failures: Int
        var lastFailure: Timestamp
    }

    private let entries = Mutex<[Key: Entry]>([:])

    public init() {}

    /// Seconds to wait before answering an attempt for `username` from `source`.
    public func delay(username: String, source: String, now: Timestamp) -> Int64 {
        entries.withLock { entries in
            guard let entry = entries[Key(username: username, source: source)],
                  now.milliseconds - entry.lastFailure.milliseconds < LoginThrottle.memory,
                  entry.failures >= LoginThrottle.freeFailures
            else { return 0 }
            let exponent = min(entry.failures - LoginThrottle.freeFailures, 6)
            return min(Int64(1) << exponent, LoginThrottle.maximumDelay)
        }
    }

    public func recordFailure(username: String, source: String, now: Timestamp) {
        entries.withLock { entries in
            let key = Key(username: username, source: source)
            if entries[key] == nil, entries.count >= LoginThrottle.maximumEntries {
                // Drop the stale half first; under a flood of fresh names, drop arbitrary ones.
                entries = entries.filter { now.milliseconds - $0.value.lastFailure.milliseconds < LoginThrottle.memory }
                if entries.count >= LoginThrottle.maximumEntries { entries.removeAll(keepingCapacity: true) }
            }
            var entry = entries[key] ?? Entry(failures: 0, lastFailure: now)
            if now.milliseconds - entry.lastFailure.milliseconds >= LoginThrottle.memory { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            entries[key] = entry
        }
    }

    public func recordSuccess(username: String, source: String) {
        _ = entries.withLock { $0.removeValue(forKey: Key(username: username, source: source)) }
    }
}
