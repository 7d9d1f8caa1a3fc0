import WardenCore

/// How the writer answers failures, and the small types its thread uses.
extension WriteQueue {
    static func map(_ error: any Error) -> WardenError {
        switch error {
        case let error as WardenError: error
        case let error as any StorageFailure where error.isConstraintViolation:
            .conflict("the database refused an inconsistent change")
        case is any StorageFailure: .unavailable("storage failure; nothing was changed")
        default: .internalError("unexpected failure")
        }
    }

    static func isDiskFull(_ error: any Error) -> Bool {
        error is DiskFull || (error as? any StorageFailure)?.isDiskFull == true
    }

    /// Thrown out of a batch when one of its changes ran out of disk space.
    struct DiskFull: Error {}

    static let refusedOnReserve = WardenError.unavailable(
        "storage full; only offboarding changes (disable, delete, revoke) are accepted until space returns")
}

/// The interpreter of a catch-up job, which writes nothing.
final class NoWrites: ChangeInterpreter {
    func insertUser(_ user: User) throws -> Int64 { throw WardenError.internalError("no writes while catching up") }
    func write(_ change: Change) throws { throw WardenError.internalError("no writes while catching up") }
    func append(_ entry: AuditRecord, carrying changes: ArraySlice<Change>) throws {
        throw WardenError.internalError("no writes while catching up")
    }
    func recordHealthCheck() throws { throw WardenError.internalError("no writes while catching up") }
}

/// Hands a non-Sendable value to the one thread that will use it from then on.
struct ThreadOwned<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
