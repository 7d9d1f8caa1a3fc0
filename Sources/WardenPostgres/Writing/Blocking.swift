import Dispatch
import Synchronization

/// Runs async work from the writer thread and waits for it there.
///
/// The writer is a thread of its own (as on SQLite), never an event loop nor a thread
/// of Swift's cooperative pool, so blocking it is what it is for: its batch cannot go
/// on before the database has answered. postgres-nio's I/O runs on its event loops,
/// which this never blocks.
enum Blocking {
    static func wait<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let result = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let outcome: Result<Value, any Error>
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
