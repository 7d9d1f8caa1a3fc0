import WardenCore
import WardenSCIM

/// A refused SCIM request: the status, RFC 7644 §3.12's `scimType` where one applies,
/// and a detail for the person reading it (never a secret).
struct SCIMFailure: Error, Sendable {
    var status: Int
    var scimType: String?
    var detail: String

    init(_ status: Int, _ scimType: String? = nil, _ detail: String) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
    }

    static func invalidValue(_ detail: String) -> SCIMFailure { SCIMFailure(400, "invalidValue", detail) }
    static func invalidSyntax(_ detail: String) -> SCIMFailure { SCIMFailure(400, "invalidSyntax", detail) }
    static func invalidFilter(_ error: SCIMFilterError) -> SCIMFailure { SCIMFailure(400, "invalidFilter", error.description) }
    static func mutability(_ detail: String) -> SCIMFailure { SCIMFailure(400, "mutability", detail) }
    static func notFound(_ detail: String) -> SCIMFailure { SCIMFailure(404, nil, detail) }
    static let unauthorized = SCIMFailure(401, nil, "a valid API key is required: Authorization: Bearer KEY")
    static let versionMismatch = SCIMFailure(412, nil, "the resource has changed: If-Match does not match its version")

    init(_ error: SCIMPatchError) {
        self.init(400, error.scimType, error.detail)
    }

    /// A protocol command's refusal, in SCIM's terms.
    init(_ error: WardenError) {
        switch error.code {
        case .syntax: self.init(400, "invalidSyntax", error.message)
        case .invalid: self.init(400, "invalidValue", error.message)
        case .notFound: self.init(404, nil, error.message)
        case .exists: self.init(409, "uniqueness", error.message)
        case .conflict: self.init(409, nil, error.message)
        case .forbidden: self.init(403, nil, error.message)
        case .noAuth, .authFailed, .mfaRequired: self = .unauthorized
        case .busy, .unavailable: self.init(503, nil, error.message)
        case .tooLong: self.init(413, nil, error.message)
        case .unknownCommand, .internalError: self.init(500, nil, "internal error")
        }
    }

    /// The RFC 7644 §3.12 error body.
    var answer: HTTPAnswer {
        var body: [String: JSONValue] = [
            "schemas": .array([.string("urn:ietf:params:scim:api:messages:2.0:Error")]),
            "status": .string(String(status)), "detail": .string(detail),
        ]
        if let scimType { body["scimType"] = .string(scimType) }
        var answer = HTTPAnswer.scim(.object(body), status: status)
        if status == 401 { answer.headers.append(("WWW-Authenticate", "Bearer realm=\"warden\"")) }
        return answer
    }
}
