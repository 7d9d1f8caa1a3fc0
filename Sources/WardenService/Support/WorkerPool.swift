import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of threads for CPU-heavy work (scrypt), so that it never runs on an
/// event loop and never takes more than its share of the cores. Work waits in a
/// FIFO queue; callers await the result.
///
/// The threads run at a lower priority than the event loops (`niceness` above
/// theirs), so that a burst of logins delays logins, not the `CHECK`s answered
/// beside them; and they carry their name into the OS (`top -H`, `ps -L`).
public final class WorkerPool: Sendable {
    private let queue = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts `threads` threads (at least one) named `name-0`, `name-1`, …, each
    /// lowering its own priority by `niceness` (0 leaves it as is).
    public init(threads: Int, name: String, niceness: Int32 = 0) {
        for index in 0..<max(1, threads) {
            let threadName = "\(name)-\(index)"
            let thread = Thread { [self] in
                WorkerPool.configureCurrentThread(name: threadName, niceness: niceness)
                while true {
                    self.available.wait()
                    let work = self.queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                    work?()
                }
            }
            thread.name = threadName
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

    /// Names the calling thread for the OS and lowers its priority. Both are best
    /// effort: a failure leaves the thread working, only unnamed or at full priority.
    static func configureCurrentThread(name: String, niceness: Int32) {
        #if os(Linux)
        // Foundation's `Thread.name` stays inside Foundation on Linux, and Glibc's
        // pthread_setname_np and gettid are not visible to Swift (they need
        // _GNU_SOURCE); the kernel takes the name (15 bytes kept) from this file.
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        if descriptor >= 0 {
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        // On Linux the nice value belongs to the thread, and PRIO_PROCESS with id 0
        // means the calling thread (setpriority(2), "BUGS"): the event loops keep theirs.
        if niceness != 0 {
            let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceness))
        }
        #endif
    }
}
