import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads for CPU-heavy work (scrypt), so that it never runs on an
/// event loop and never takes more than its share of the cores. Work waits in a
/// FIFO queue; callers await the result.
public final class WorkerPool: Sendable {
    private let queue = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    public init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                while true {
                    self.available.wait()
                    let work = self.queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                    work?()
                }
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `work` on one of the pool's threads.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            queue.withLock { $0.append { continuation.resume(returning: work()) } }
            available.signal()
        }
    }
}
