import Foundation

/// How an OAuth client proved who it is (RFC 6749 §2.3.1): its id (a service user's
/// name) and secret (one of its API keys), by HTTP Basic (`client_secret_basic`) or
/// in the form (`client_secret_post`).
struct OAuthClientCredentials: Sendable, Equatable {
    enum Method: String, Sendable {
        case basic = "client_secret_basic"
        case post = "client_secret_post"
    }

    var id: String
    var secret: String
    var method: Method

    /// The methods the endpoints accept, for the metadata documents.
    static let methods = [Method.basic.rawValue, Method.post.rawValue]

    /// The client's credentials from the `Authorization` header or the form. Both at
    /// once is `invalid_request` (RFC 6749 §2.3: one method a request); neither, or a
    /// header that is not Basic or does not decode, is `invalid_client`.
    init(authorization: String?, form: OAuthForm) throws(OAuthError) {
        if let authorization {
            guard form["client_secret"] == nil else {
                throw .invalidRequest("the client authenticated twice: HTTP Basic and client_secret in the form")
            }
            guard let (id, secret) = OAuthClientCredentials.basic(authorization) else {
                throw .invalidClient("the Authorization header is not HTTP Basic credentials")
            }
            // client_id may accompany Basic (RFC 6749 §3.2.1), but must name the same client.
            if let named = form["client_id"], named != id {
                throw .invalidRequest("client_id names another client than the HTTP Basic credentials")
            }
            self.init(id: id, secret: secret, method: .basic)
        } else {
            guard let id = form["client_id"], let secret = form["client_secret"] else {
                throw .invalidClient("client authentication is required: HTTP Basic, or client_id and client_secret")
            }
            self.init(id: id, secret: secret, method: .post)
        }
    }

    init(id: String, secret: String, method: Method) {
        self.id = id
        self.secret = secret
        self.method = method
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` → (id, secret). RFC 6749 §2.3.1
    /// form-encodes both before base64; a client that does not (most HTTP libraries'
    /// plain Basic) sends the same bytes for a Warden username and API key, whose
    /// characters need no encoding.
    static func basic(_ header: String) -> (String, String)? {
        guard header.utf8.count <= 4096 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
              let id = OAuthForm.decode(decoded[..<colon]),
              let secret = OAuthForm.decode(decoded[decoded.index(after: colon)...])
        else { return nil }
        return (id, secret)
    }
}
