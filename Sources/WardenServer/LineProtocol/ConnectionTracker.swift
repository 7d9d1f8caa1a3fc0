import NIOCore
import Synchronization

/// Counts and remembers the open connections of one port, so that the server can
/// refuse those past the port's limits (in all, and from one client address) and
/// close the rest on shutdown, and counts commands in flight, so that shutdown can
/// let them finish.
final class ConnectionTracker: Sendable {
    /// Why `open` turned a connection away, or that it did not.
    enum Admission: Equatable {
        case admitted
        /// The port holds its maximum of connections.
        case full
        /// The client's address holds its share of them.
        case sourceFull
    }

    private struct State {
        var channels: [ObjectIdentifier: (channel: any Channel, source: String)] = [:]
        var perSource: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let inFlight = Atomic<Int>(0)
    let maximum: Int
    let maximumPerSource: Int

    init(maximum: Int, maximumPerSource: Int = .max) {
        self.maximum = maximum
        self.maximumPerSource = maximumPerSource
    }

    /// Registers `channel` unless the port, or the client's address, is full.
    func open(_ channel: any Channel) -> Admission {
        let source = ConnectionTracker.source(of: channel)
        return state.withLock { state in
            guard state.channels.count < maximum else { return .full }
            let held = state.perSource[source, default: 0]
            guard held < maximumPerSource else { return .sourceFull }
            state.perSource[source] = held + 1
            state.channels[ObjectIdentifier(channel)] = (channel, source)
            return .admitted
        }
    }

    func closed(_ channel: any Channel) {
        state.withLock { state in
            guard let (_, source) = state.channels.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            let held = state.perSource[source, default: 1] - 1
            state.perSource[source] = held > 0 ? held : nil
        }
    }

    func beginCommand() { inFlight.add(1, ordering: .relaxed) }
    func endCommand() { inFlight.subtract(1, ordering: .relaxed) }
    var commandsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Closes every connection (at shutdown, after in-flight commands finished).
    func closeAll() {
        let all = state.withLock { $0.channels.values.map(\.channel) }
        for channel in all { channel.close(promise: nil) }
    }

    /// The client's IP address (without the port): what the per-source limit counts.
    static func source(of channel: any Channel) -> String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
