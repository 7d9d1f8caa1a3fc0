import WardenProtocol

/// Which pipelined requests may start before the replies of the ones ahead of them
/// (SPEC §2: replies in order, each request seeing the effect of those before it).
///
/// A connection normally waits for a change to commit before it reads the next request
/// against memory. That makes one pipelining client (an onboarding script, `warden
/// import`) one commit per change. A change that is decided wholly in the writer can
/// instead be handed to the writer while earlier ones are still queued there: the writer
/// runs a connection's changes in the order they were handed to it, each against the
/// state every earlier one left, and commits them together. Its reply is the same as if
/// it had waited; only the number of commits differs.
///
/// So a request overlaps only when what it reads on the event loop before reaching the
/// writer cannot be changed by an earlier change of the same kind still in flight:
/// - `USER ADD` without `password=`: reads whether the caller holds `user-admin` (no
///   overlapping change can alter the caller's own rights: `GRANT` refuses the caller as
///   its target) and whether the name is taken (the writer checks again, and answers the
///   same `EXISTS`). With a password it hashes first and reaches the writer only then,
///   after changes sent behind it, so it waits.
/// - `USER SET`, `USER INVITE`: read nothing on the loop that a change can alter.
/// - `GRANT` without an expiry: reads nothing on the loop. A grant with `until=`/`for=`
///   chooses its batch by whether its user is an administrator now, which an earlier
///   grant in flight could change, so it waits.
/// Everything else (reads from memory, sign-ins, revocations, role changes) waits for
/// the changes ahead of it, and the changes after it wait for it.
extension WardenService {
    public static func mayOverlap(_ request: Request) -> Bool {
        switch request.command {
        case "USER ADD":
            return !request.arguments.contains { $0.key == "password" }
        case "USER SET", "USER INVITE":
            return true
        case "GRANT":
            return !request.arguments.contains { $0.key == "until" || $0.key == "for" }
        default:
            return false
        }
    }
}
