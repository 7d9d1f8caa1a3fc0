/// What a grant gives: a role, or one entitlement directly.
public enum GrantTarget: Hashable, Sendable, CustomStringConvertible, Codable {
    case role(String)
    case entitlement(Entitlement)

    public var description: String {
        switch self {
        case .role(let role): "role:\(role)"
        case .entitlement(let entitlement): "\(entitlement.system):\(entitlement.permission)"
        }
    }
}

/// A grant of a role or an entitlement to a user, optionally until a time.
public struct Grant: Sendable, Equatable, Codable {
    public var target: GrantTarget
    /// The grant stops counting at this instant; `nil` is forever.
    public var until: Timestamp?
    public var reason: String
    public var grantedBy: String
    public var grantedAt: Timestamp

    public init(target: GrantTarget, until: Timestamp? = nil, reason: String = "", grantedBy: String, grantedAt: Timestamp) {
        self.target = target
        self.until = until
        self.reason = reason
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }

    public func isLive(at now: Timestamp) -> Bool {
        guard let until else { return true }
        return now < until
    }
}
