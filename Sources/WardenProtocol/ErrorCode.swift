/// The codes of `ERR CODE message` (SPEC §2): the protocol's whole vocabulary of
/// failures. A reply carries one of these, never a bare string, so a code cannot be
/// misspelt and the set the server can send is this list.
public enum ErrorCode: String, Sendable, CaseIterable {
    case syntax = "SYNTAX"
    case unknownCommand = "UNKNOWN-COMMAND"
    case noAuth = "NOAUTH"
    case forbidden = "FORBIDDEN"
    case authFailed = "AUTH-FAILED"
    case notFound = "NOT-FOUND"
    case exists = "EXISTS"
    case invalid = "INVALID"
    case conflict = "CONFLICT"
    case tooLong = "TOO-LONG"
    case busy = "BUSY"
    case unavailable = "UNAVAILABLE"
    case internalError = "INTERNAL"
    /// (v2, SPEC §7) The password was right; the user's MFA asks for `otp=CODE` too.
    case mfaRequired = "MFA-REQUIRED"
}
