import Synchronization
import WardenCore

/// What the writer calls back into the service with.
extension WriteQueue {
    /// Applies committed changes to memory: set once by the service, called on the
    /// writer thread after each commit with the batch's changes in order, before any
    /// of its callers is resumed.
    public typealias Reducer = @Sendable (_ changes: [Change], _ committedAt: Timestamp) -> Void

    public func setReducer(_ reducer: @escaping Reducer) {
        callbacks.withLock { $0.reducer = reducer }
    }

    /// Sees every audit entry another node committed, after its changes are applied
    /// (on the writer thread; never this node's own entries).
    public typealias EntryObserver = @Sendable (CommittedEntry) -> Void

    public func setEntryObserver(_ observer: @escaping EntryObserver) {
        callbacks.withLock { $0.observer = observer }
    }

    /// The service's two callbacks, kept in a struct and never as the `Mutex`'s own
    /// value: a closure that is the value of a generic container is re-wrapped in two
    /// reabstraction thunks by every `withLock { $0 }` (the `inout` value is converted
    /// and written back), so each commit made the next call one thunk chain deeper,
    /// until calling the reducer dominated the writer's time and would overflow its stack.
    struct Callbacks {
        var reducer: Reducer?
        var observer: EntryObserver?
    }
}
