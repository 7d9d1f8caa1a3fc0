import WardenProtocol

/// The answer to a request: ready now (answers from memory, on the event loop), or
/// later (anything that hashes a password or commits a change, off the loop).
public enum Outcome: Sendable {
    case now(Reply, SessionEffect)
    case later(@Sendable () async -> (Reply, SessionEffect))

    public static func reply(_ reply: Reply) -> Outcome { .now(reply, .none) }

    public static func later(_ work: @escaping @Sendable () async -> Reply) -> Outcome {
        .later { (await work(), .none) }
    }
}
