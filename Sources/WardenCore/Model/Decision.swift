/// The answer to "may this user do this on that system?", with its reason.
public enum Decision: Equatable, Sendable {
    /// Where an allowed entitlement comes from.
    public enum Source: Equatable, Sendable, CustomStringConvertible {
        /// A role granted to the user (even when the entitlement comes from a role it includes).
        case role(String)
        case direct

        public var description: String {
            switch self {
            case .role(let name): "role:\(name)"
            case .direct: "direct"
            }
        }
    }

    public enum DenyReason: String, Sendable {
        case noGrant = "no-grant"
        case expired
        case disabled
        case unknownUser = "unknown-user"
    }

    case allow(via: Source)
    case deny(DenyReason)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}
