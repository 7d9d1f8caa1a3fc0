import Synchronization
import WardenProtocol

/// The reply to a change handed to the writer: made when the change is queued (on the
/// event loop, so that a connection's changes reach the writer in the order it sent
/// them), completed by the writer once the change's batch is committed, and awaited once.
final class PendingReply: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Reply, Never>?)
        case done(Reply)
    }

    private let state = Mutex(State.waiting(nil))

    func complete(_ reply: Reply) {
        let waiter = state.withLock { state -> CheckedContinuation<Reply, Never>? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(reply)
            return waiter
        }
        waiter?.resume(returning: reply)
    }

    /// The reply, once the writer has given it.
    var reply: Reply {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Reply? in
                    switch state {
                    case .done(let reply): return reply
                    case .waiting: state = .waiting(continuation); return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
