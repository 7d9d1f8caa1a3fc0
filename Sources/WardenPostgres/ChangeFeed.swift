import Logging
import PostgresNIO
import Synchronization
import WardenStore

/// Brings the changes other nodes commit into this node's memory.
///
/// `NOTIFY` (sent by every write transaction at its commit) is only a wake-up: on each
/// one, on a poll every second, and after every (re)connection of the listening
/// connection, the node asks its writer to catch up, which reads the audit log from the
/// last entry it applied (`PostgresWriteBackend.catchUp`). A lost notification costs at
/// most the poll's second, never a change. While the listening connection is down, the
/// node says it is degraded.
final class ChangeFeed: Sendable {
    static let channel = "warden_changes"

    let connector: PostgresConnector
    let writer: WriteQueue
    let nodeID: String
    let logger: Logger
    private let listening = Atomic<Bool>(false)
    let knownHead: KnownHead
    private let wakeUps: AsyncStream<Void>.Continuation
    private let wakeUpStream: AsyncStream<Void>

    init(connector: PostgresConnector, writer: WriteQueue, nodeID: String, knownHead: KnownHead, logger: Logger) {
        self.knownHead = knownHead
        self.connector = connector
        self.writer = writer
        self.nodeID = nodeID
        self.logger = logger
        // Wake-ups that arrive while a catch-up runs fold into one more.
        (wakeUpStream, wakeUps) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Whether the node hears the other nodes' commits now.
    var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Whether the feed listens within `limit` (checked every 10 ms).
    func waitUntilListening(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !isListening, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return isListening
    }

    /// Runs until cancelled: the listener, the poll and the catch-ups.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen() }
            group.addTask { await self.poll() }
            group.addTask { await self.catchUps() }
            await group.next()
            group.cancelAll()
        }
        wakeUps.finish()
    }

    private func catchUps() async {
        for await _ in wakeUpStream {
            do {
                try await writer.catchUp()
            } catch {
                logger.debug("catching up failed; retried at the next wake-up", metadata: ["error": "\(error)"])
            }
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
            wakeUps.yield()
        }
    }

    private func listen() async {
        // Quiet: the loss was logged, and nothing more is until the node listens again.
        var quiet = false
        while !Task.isCancelled {
            var failure: (any Error)?
            do {
                let connection = try await connector.connect(purpose: "feed")
                // Closed before it is let go, on every path (postgres-nio requires it).
                do {
                    try await listen(on: connection, after: quiet)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                failure = error
            }
            if listening.exchange(false, ordering: .acquiringAndReleasing) { quiet = false }
            if !quiet && !Task.isCancelled {
                logger.error("lost the database's change notifications; retrying",
                             metadata: ["error": "\(failure.map { PostgresFailure($0).description } ?? "the connection ended")"])
                quiet = true
            }
            guard (try? await Task.sleep(for: .milliseconds(500))) != nil else { return }
        }
    }

    /// Listens until the connection ends; every notification is a wake-up.
    private func listen(on connection: PostgresConnection, after quiet: Bool) async throws {
        try await connection.listen(on: Self.channel) { notifications in
            listening.store(true, ordering: .releasing)
            if quiet { logger.notice("listening to the other nodes' changes again") }
            // Whatever was committed while nobody listened.
            wakeUps.yield()
            for try await notification in notifications {
                // The payload is `NODE:SEQ`: the committing node and its newest entry.
                if let seq = notification.payload.split(separator: ":").last.flatMap({ Int64($0) }) {
                    knownHead.saw(seq)
                }
                if !notification.payload.hasPrefix(nodeID + ":") { wakeUps.yield() }
            }
        }
    }
}

/// The newest audit entry this node knows the database holds: announced by a
/// notification, or read by the writer. Its distance to the node's revision is the lag.
final class KnownHead: Sendable {
    private let seq = Atomic<Int64>(0)

    func saw(_ value: Int64) {
        _ = seq.max(value, ordering: .relaxed)
    }

    var value: Int64 { seq.load(ordering: .relaxed) }
}
