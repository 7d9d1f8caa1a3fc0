import Foundation

/// An HTTP request to one of the OAuth 2.0 endpoints (SPEC §13), in the terms the
/// service needs: the router fills it, the service answers it.
public struct OAuthRequest: Sendable {
    /// The `Authorization` header, if any.
    public var authorization: String?
    /// The `Content-Type` header, if any.
    public var contentType: String?
    public var body: [UInt8]
    /// The client's address: the throttle's source and the audit entry's.
    public var source: String

    public init(authorization: String?, contentType: String?, body: [UInt8], source: String) {
        self.authorization = authorization
        self.contentType = contentType
        self.body = body
        self.source = source
    }

    /// The form of the body. Only `application/x-www-form-urlencoded` (RFC 6749 §4.4.2,
    /// RFC 7009 §2.1); a repeated parameter is `invalid_request` (RFC 6749 §3.2).
    func form() throws(OAuthError) -> OAuthForm {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw .invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        do {
            return try OAuthForm(body)
        } catch .repeated(let name) {
            throw .invalidRequest("parameter \(name) is given more than once")
        } catch {
            throw .invalidRequest("the body is not well-formed form data")
        }
    }
}
