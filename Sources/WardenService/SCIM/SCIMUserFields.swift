import WardenCore
import WardenSCIM

/// What a SCIM User body (a `POST`, a `PUT`, or a resource after a `PATCH`) asks a
/// Warden user to be, checked against Warden's rules before anything changes.
///
/// Warden keeps one name and one email: the name is `displayName`, else `name.formatted`,
/// else `name.givenName name.familyName`; the email is the `primary` one, else the
/// first. Attributes Warden does not keep (phone numbers, addresses, the enterprise
/// extension) are accepted and ignored.
struct SCIMUserFields: Sendable, Equatable {
    var userName: String
    var displayName: String
    var email: String
    var externalID: String?
    /// Nil: not given (a `PUT` without `active` leaves the status as it is).
    var active: Bool?
    var password: String?

    /// `original`: the resource a PATCH started from. Warden's one name is both
    /// `displayName` and `name.formatted`; after a PATCH, the one that changed says it.
    init(_ body: JSONValue, patching original: JSONValue? = nil) throws(SCIMFailure) {
        guard let raw = body["userName"]?.stringValue else { throw .invalidValue("userName is required (a string)") }
        let name = Identifier.fold(raw)
        guard Identifier.isValid(name) else {
            throw .invalidValue("userName must be 1-128 characters of a-z 0-9 . _ @ -, starting with a letter or digit")
        }
        userName = name

        displayName = Self.name(in: body, patching: original)
        try Self.requireText(displayName, "displayName", maximumBytes: 1024)

        var email = ""
        if let emails = body["emails"], emails != .null {
            guard let list = emails.arrayValue else { throw .invalidValue("emails must be an array") }
            let chosen = list.first { $0["primary"]?.booleanValue == true } ?? list.first
            if let chosen {
                guard let value = chosen["value"]?.stringValue else { throw .invalidValue("an email needs a value (a string)") }
                email = value
            }
        }
        guard email.isEmpty || (email.utf8.count <= EmailAddress.maximumBytes && EmailAddress.isValid(email)) else {
            throw .invalidValue("\(email.debugDescription) is not an email address Warden accepts")
        }
        self.email = email

        switch body["externalId"] {
        case nil, .null?: externalID = nil
        case .string(let text)?:
            try Self.requireText(text, "externalId", maximumBytes: 1024)
            externalID = text.isEmpty ? nil : text
        default: throw .invalidValue("externalId must be a string")
        }

        switch body["active"] {
        case nil, .null?: active = nil
        case let value?:
            guard let flag = value.booleanValue else { throw .invalidValue("active must be true or false") }
            active = flag
        }

        switch body["password"] {
        case nil, .null?: password = nil
        case .string(let text)?:
            do { try PasswordPolicy.validate(text, username: userName) } catch { throw .invalidValue(error.message) }
            password = text
        default: throw .invalidValue("password must be a string")
        }
    }

    /// `displayName`, else `name.formatted`, else `name.givenName name.familyName`; after a
    /// PATCH, the first of those the PATCH changed (removed: no name), else the name as it was.
    private static func name(in body: JSONValue, patching original: JSONValue?) -> String {
        let forms: [(JSONValue) -> String?] = [
            { $0["displayName"]?.stringValue },
            { $0["name"]?["formatted"]?.stringValue },
            { resource in
                let parts = [resource["name"]?["givenName"]?.stringValue, resource["name"]?["familyName"]?.stringValue]
                    .compactMap { $0 }.filter { !$0.isEmpty }
                return parts.isEmpty ? nil : parts.joined(separator: " ")
            },
        ]
        guard let original else { return forms.lazy.compactMap { $0(body) }.first { !$0.isEmpty } ?? "" }
        for form in forms where form(body) != form(original) { return form(body) ?? "" }
        return original["displayName"]?.stringValue ?? ""
    }

    private static func requireText(_ text: String, _ what: String, maximumBytes: Int) throws(SCIMFailure) {
        guard text.utf8.count <= maximumBytes else { throw .invalidValue("\(what) is longer than \(maximumBytes) bytes") }
        guard DisplayText.isValid(text) else {
            throw .invalidValue("\(what) holds a control, line-separator or bidirectional formatting character")
        }
    }
}
