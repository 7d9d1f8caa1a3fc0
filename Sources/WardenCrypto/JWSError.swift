/// Why a token was refused before any signature check.
///
/// The reason is a short fixed phrase for logs and metrics; it never echoes the
/// token or any part of it, since tokens are bearer credentials.
public enum JWSError: Error, Equatable, Sendable {
    case malformed(String)
}
