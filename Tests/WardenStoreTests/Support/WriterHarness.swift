import Foundation
import Logging
import Synchronization
import WardenStore

/// A fresh Warden database with its single writer, and a read-only connection to look
/// at what the writer committed. Closing the writer waits for its thread.
final class WriterHarness {
    let temporary: TemporaryDirectory
    let directory: DataDirectory
    let writer: WriteQueue
    let reader: Connection

    init() throws {
        temporary = try TemporaryDirectory()
        directory = try DataDirectory(path: temporary.dataPath)
        let connection = try DatabaseOpener.open(directory, now: 1).connection
        let chain = try AuditChain.load(from: connection)
        writer = WriteQueue(connection: connection, chain: chain, logger: Logger(label: "warden.test"))
        reader = try DatabaseOpener.openReader(directory)
    }

    deinit {
        writer.close()
    }

    func count(_ sql: String) throws -> Int64 {
        try reader.queryOne(sql) { $0.int(0) } ?? -1
    }
}

/// Things that happened, in order, recorded from any thread.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

/// A value shared between tasks and the writer thread, behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}

/// A one-way flag that async code can wait for without blocking a thread.
final class Flag: Sendable {
    private let raised = Mutex(false)

    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }

    /// Waits until `condition` holds, checking every few milliseconds, for at most `seconds`.
    static func wait(upTo seconds: Double = 10, until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
