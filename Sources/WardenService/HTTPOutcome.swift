/// An HTTP answer known at once (from memory, on the event loop) or one that needs
/// work off the loop first (a storage round trip, catching up with other nodes).
public enum HTTPOutcome: Sendable {
    case now(HTTPAnswer)
    case later(@Sendable () async -> HTTPAnswer)
}
