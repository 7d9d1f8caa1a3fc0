/// The one error type of Warden's use cases. Each case has a stable protocol code
/// (SPEC §2); the server maps it to `ERR CODE message` in exactly one place.
///
/// Messages are written for the person at the other end of the connection and
/// never contain a password, hash, key or token.
public struct WardenError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
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
        case mfaRequired = "MFA-REQUIRED"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue) \(message)" }

    public static func syntax(_ message: String) -> WardenError { .init(.syntax, message) }
    public static func invalid(_ message: String) -> WardenError { .init(.invalid, message) }
    public static func notFound(_ message: String) -> WardenError { .init(.notFound, message) }
    public static func exists(_ message: String) -> WardenError { .init(.exists, message) }
    public static func conflict(_ message: String) -> WardenError { .init(.conflict, message) }
    public static func forbidden(_ message: String) -> WardenError { .init(.forbidden, message) }
    public static let authFailed = WardenError(.authFailed, "authentication failed")
    public static let noAuth = WardenError(.noAuth, "authenticate first")
    public static let mfaRequired = WardenError(.mfaRequired, "the password is right; MFA is on, add otp=CODE (a TOTP or recovery code)")
    public static func unavailable(_ message: String) -> WardenError { .init(.unavailable, message) }
    public static func internalError(_ message: String) -> WardenError { .init(.internalError, message) }
}
