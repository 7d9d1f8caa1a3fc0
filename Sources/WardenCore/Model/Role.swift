/// A named bundle of entitlements that may include other roles.
public struct Role: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var entitlements: Set<Entitlement>
    /// Roles whose entitlements this role also carries (transitively).
    public var includes: Set<String>
    /// Who may ask for it, and how it is approved (SPEC §8, `ROLE SET`).
    public var requests: RequestSettings
    /// The SCIM client's identifier of the group this role is (SPEC §12), kept as given.
    public var externalID: String?

    public init(name: String, description: String = "", entitlements: Set<Entitlement> = [], includes: Set<String> = [],
                requests: RequestSettings = RequestSettings(), externalID: String? = nil) {
        self.name = name
        self.description = description
        self.entitlements = entitlements
        self.includes = includes
        self.requests = requests
        self.externalID = externalID
    }

    private enum CodingKeys: String, CodingKey { case name, description, entitlements, includes, requests, externalID }

    /// A role written to the change feed before v2 has no `requests`: the defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        entitlements = try container.decode(Set<Entitlement>.self, forKey: .entitlements)
        includes = try container.decode(Set<String>.self, forKey: .includes)
        requests = try container.decodeIfPresent(RequestSettings.self, forKey: .requests) ?? RequestSettings()
        externalID = try container.decodeIfPresent(String.self, forKey: .externalID)
    }
}

/// A role's request settings (SPEC §8).
public struct RequestSettings: Sendable, Equatable, Codable {
    /// The default and the ceiling of `max`.
    public static let defaultMaximum: Int64 = 8 * 3600
    public static let ceiling: Int64 = 30 * 86400
    public static let approvalRange = 1...5

    /// Whether any authenticated user may ask for the role.
    public var requestable: Bool
    /// The role whose enabled holders may approve; nil: holders of `warden grant`.
    public var approvers: String?
    /// Distinct approvals needed.
    public var approvals: Int
    /// The longest grant an approval makes, in seconds.
    public var maximum: Int64

    public init(requestable: Bool = false, approvers: String? = nil, approvals: Int = 1, maximum: Int64 = RequestSettings.defaultMaximum) {
        self.requestable = requestable
        self.approvers = approvers
        self.approvals = approvals
        self.maximum = maximum
    }
}
