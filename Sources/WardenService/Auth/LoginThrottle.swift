#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WardenCore

/// Slows password guessing (SPEC §2.4): after 5 consecutive failures for one
/// username from one source address, that source's further attempts for that
/// username are answered only after 1 s, 2 s, 4 s … at most 60 s. A success resets it.
///
/// It never locks an account (an attacker could use that against the admin), and
/// it slows only the pair it has seen fail. The delay is an `await`, never a block.
///
/// Three rules make it hold against an attacker rather than a forgetful user:
/// - **Attempts in flight count.** An attempt takes a *turn* when it starts: it counts
///   as a possible failure until it ends, and the turns of one throttled pair follow
///   one another, so sixty parallel connections wait as long as sixty attempts in a
///   row would, not one delay together.
/// - **A source that fails across many usernames is slowed as a whole.** After
///   `sourceFreeFailures` failures within `memory` from one source (an IPv6 /64 counts
///   as one source), its further attempts for any username wait the same growing
///   delay. A success does not reset this count, so interleaving a valid login does
///   not buy more guesses; it ends `memory` after the last failure. This is what keeps
///   a flood of fresh usernames from writing thousands of audit entries a second.
/// - **The table cannot be emptied by the attacker.** It is bounded, and when full only
///   stale entries are dropped; an attempt whose pair cannot be recorded is slowed as
///   though its source were throttled.
public final class LoginThrottle: Sendable {
    public static let freeFailures = 5
    /// Failures from one source, across all usernames, before the source is slowed.
    public static let sourceFreeFailures = 100
    public static let maximumDelay: Int64 = 60
    /// An entry forgotten this long after its last failure starts afresh.
    static let memory: Int64 = 15 * 60 * 1000
    /// Bounds the memory an attacker can make it use by trying many names or sources.
    let maximumEntries: Int

    private struct Entry {
        var failures = 0
        var inFlight = 0
        var lastFailure: Int64 = 0
        /// When the last turn given out begins (milliseconds).
        var lastTurn: Int64 = 0

        /// Nothing in flight and no failure within `memory`: the entry counts for nothing.
        func isForgotten(at now: Int64) -> Bool {
            inFlight == 0 && (failures == 0 || now - lastFailure >= LoginThrottle.memory)
        }

        func refreshed(_ now: Int64) -> Entry { isForgotten(at: now) ? Entry() : self }

        var isStale: Bool { inFlight == 0 && failures == 0 }
    }

    fileprivate struct Key: Hashable {
        var username: String
        var source: String
    }

    private struct Tables {
        var pairs: [Key: Entry] = [:]
        var sources: [String: Entry] = [:]
        /// When a full table was last swept for stale entries: at most once a second,
        /// so a flood against a full table costs no scan per attempt.
        var lastSweep: Int64 = 0
        /// Stands in for every source that the full table cannot record.
        var overflow = Entry()
    }

    /// One attempt's place in the throttle: how long it must wait, and what to
    /// record when it ends. Ending it is required (`succeeded`, `failed` or `abandoned`).
    public struct Turn: Sendable {
        public let waitMilliseconds: Int64
        fileprivate let pair: Key?
        /// Nil: the overflow entry.
        fileprivate let source: String?
        /// Whether the attempt counts as in flight until it ends (see `begin`).
        fileprivate let inFlight: Bool
    }

    private let tables = Mutex(Tables())

    public init(maximumEntries: Int = 100_000) {
        self.maximumEntries = maximumEntries
    }

    /// Takes a turn for an attempt for `username` from `source` at `now`. Without a
    /// username (`AUTH TOKEN`: no password to guess, but a failure is still an audit
    /// entry) only the source's count applies.
    ///
    /// An attempt counts as a failure while it is in flight, so that parallel password
    /// guesses are slowed before their failures are known. `inFlight: false` is for a
    /// secret that can only be a 256-bit API key (an OAuth client's, SPEC §13): guessing
    /// one in parallel gains nothing, and a service asking for many tokens at once must
    /// not be slowed as a guesser would be. Its failures count as any other's.
    public func begin(username: String?, source: String, now: Timestamp, inFlight counted: Bool = true) -> Turn {
        let now = now.milliseconds
        let sourceKey = LoginThrottle.sourceKey(source)
        return tables.withLock { tables in
            let pairKey = username.map { Key(username: $0, source: source) }
            let full = (pairKey.map { tables.pairs[$0] == nil && tables.pairs.count >= maximumEntries } ?? false)
                || (tables.sources[sourceKey] == nil && tables.sources.count >= maximumEntries)
            if full, now - tables.lastSweep >= 1000 {
                tables.lastSweep = now
                tables.pairs = tables.pairs.filter { !$0.value.isForgotten(at: now) }
                tables.sources = tables.sources.filter { !$0.value.isForgotten(at: now) }
            }
            let sourceTracked = tables.sources[sourceKey] != nil || tables.sources.count < maximumEntries
            var sourceEntry = sourceTracked ? tables.sources[sourceKey]?.refreshed(now) ?? Entry() : tables.overflow.refreshed(now)
            var pairEntry = pairKey.flatMap { tables.pairs[$0]?.refreshed(now) }
            let pairTracked = pairKey == nil || pairEntry != nil || tables.pairs.count < maximumEntries
            if pairKey != nil, pairEntry == nil, pairTracked { pairEntry = Entry() }

            var delay = max(
                Self.delay(pending: (pairEntry?.failures ?? 0) + (pairEntry?.inFlight ?? 0), free: Self.freeFailures),
                Self.delay(pending: sourceEntry.failures + sourceEntry.inFlight, free: Self.sourceFreeFailures))
            // Untracked (the table is full of live entries): fail safe, as a throttled pair,
            // one turn after another on its source (or on the shared overflow entry).
            if !pairTracked || !sourceTracked { delay = max(delay, 1000) }
            var turn = now
            if delay > 0 {
                // Throttled turns of a pair, and of a throttled source, follow one another.
                turn = max(now, pairEntry?.lastTurn ?? 0, sourceEntry.lastTurn) + delay
                pairEntry?.lastTurn = turn
                sourceEntry.lastTurn = turn
            }
            if counted {
                pairEntry?.inFlight += 1
                sourceEntry.inFlight += 1
            }
            if let pairKey, let pairEntry, pairTracked { tables.pairs[pairKey] = pairEntry }
            if sourceTracked { tables.sources[sourceKey] = sourceEntry } else { tables.overflow = sourceEntry }
            return Turn(waitMilliseconds: turn - now, pair: pairTracked ? pairKey : nil, source: sourceTracked ? sourceKey : nil,
                        inFlight: counted)
        }
    }

    /// The attempt failed: it counts for its pair and its source.
    public func failed(_ turn: Turn, now: Timestamp) {
        end(turn) { entry in
            entry.failures += 1
            entry.lastFailure = now.milliseconds
        } source: { entry in
            entry.failures += 1
            entry.lastFailure = now.milliseconds
        }
    }

    /// The attempt succeeded: its pair starts afresh (SPEC §2.4); the source's count stays.
    public func succeeded(_ turn: Turn) {
        end(turn) { entry in
            entry.failures = 0
            entry.lastTurn = 0
        } source: { _ in }
    }

    /// The attempt ended with neither answer (a storage failure before it was decided).
    public func abandoned(_ turn: Turn) {
        end(turn) { _ in } source: { _ in }
    }

    private func end(_ turn: Turn, pair: (inout Entry) -> Void, source: (inout Entry) -> Void) {
        tables.withLock { tables in
            let ending = turn.inFlight ? 1 : 0
            if let key = turn.pair, var entry = tables.pairs[key] {
                entry.inFlight = max(0, entry.inFlight - ending)
                pair(&entry)
                tables.pairs[key] = entry.isStale ? nil : entry
            }
            if let key = turn.source {
                if var entry = tables.sources[key] {
                    entry.inFlight = max(0, entry.inFlight - ending)
                    source(&entry)
                    tables.sources[key] = entry.isStale ? nil : entry
                }
            } else {
                tables.overflow.inFlight = max(0, tables.overflow.inFlight - ending)
                source(&tables.overflow)
            }
        }
    }

    /// A credential attempt that another node of the cluster decided (SPEC §6: the
    /// throttle counts failures per username and source across all nodes). It counts as
    /// a local one would have, without a turn: the other node already made it wait.
    public func observe(username: String?, source: String, failed: Bool, at now: Timestamp) {
        let sourceKey = LoginThrottle.sourceKey(source)
        let time = now.milliseconds
        tables.withLock { tables in
            if let username {
                let key = Key(username: username, source: source)
                if var entry = tables.pairs[key]?.refreshed(time) ?? (tables.pairs.count < maximumEntries ? Entry() : nil) {
                    if failed {
                        entry.failures += 1
                        entry.lastFailure = time
                    } else {
                        entry.failures = 0
                        entry.lastTurn = 0
                    }
                    tables.pairs[key] = entry.isStale ? nil : entry
                }
            }
            guard failed else { return }
            if var entry = tables.sources[sourceKey]?.refreshed(time) ?? (tables.sources.count < maximumEntries ? Entry() : nil) {
                entry.failures += 1
                entry.lastFailure = time
                tables.sources[sourceKey] = entry
            }
        }
    }

    /// Milliseconds of delay once `pending` attempts (failed or in flight) reach `free`.
    static func delay(pending: Int, free: Int) -> Int64 {
        guard pending >= free else { return 0 }
        let exponent = min(pending - free, 6)
        return min(Int64(1) << exponent, maximumDelay) * 1000
    }

    /// What counts as one source for the across-usernames count: the address, or for
    /// IPv6 its /64, since one host is usually given a whole /64.
    static func sourceKey(_ source: String) -> String {
        guard source.contains(":") else { return source }
        var address = in6_addr()
        guard inet_pton(AF_INET6, source, &address) == 1 else { return source }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d) is its own source.
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return source }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
