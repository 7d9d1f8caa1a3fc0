import Dispatch
import NIOCore
import Synchronization

/// Waits on the writer thread for work running on postgres-nio's event loops.
///
/// The writer is a thread of its own (as on SQLite), never an event loop nor a thread
/// of Swift's cooperative pool, so blocking it is what it is for: its batch cannot go
/// on before the database has answered. It waits only for futures of the event loops,
/// never for a `Task`: a task needs a thread of the cooperative pool, and when those are
/// all blocked (callers closing stores, say, which waits for this thread) it would never
/// run, and both sides would wait for ever.
enum Blocking {
    /// Waits for `future` (never on an event loop: the writer's thread). Past
    /// `timeout`, `giveUp` is called (it closes the connection, which fails the query: a
    /// database that stopped answering must not hold the writer, and with it every change
    /// of the node, for ever), and the wait goes on until the future completes.
    static func wait<Value: Sendable>(
        for future: EventLoopFuture<Value>, timeout: Duration = .seconds(10), giveUp: @Sendable () -> Void
    ) throws -> Value {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        wait(for: done, timeout: timeout, giveUp: giveUp)
        return try result.withLock { $0! }.get()
    }

    private static func wait(for done: DispatchSemaphore, timeout: Duration, giveUp: () -> Void) {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            giveUp()
            done.wait()
        }
    }
}
