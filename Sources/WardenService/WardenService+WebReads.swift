import WardenCore

/// What the account page shows a signed-in user about themselves, read from memory.
extension WardenService {
    /// One effective entitlement, as a line of `ACCESS`.
    public struct AccessLine: Sendable {
        public let system: String
        public let permission: String
        public let via: String
        public let until: String
    }

    /// The caller's own effective access (SPEC §11 "my access"): what `ACCESS` shows,
    /// but for oneself only, so it needs no `check` (**Chosen**, docs/protocol.md).
    public func ownAccess(_ caller: WebCaller) -> [AccessLine] {
        let now = Timestamp.now()
        return state.withLock { state in
            state.directory.access(user: caller.name, at: now).map { entry in
                AccessLine(system: entry.entitlement.system, permission: entry.entitlement.permission,
                           via: entry.via.description, until: entry.until?.rfc3339 ?? "never")
            }
        }
    }

    /// The requestable roles (SPEC §8), for the request form: any signed-in user may
    /// request them, so their names are no secret from them.
    public func requestableRoles() -> [String] {
        state.withLock { state in state.directory.roles.values.filter { $0.requests.requestable }.map(\.name) }.sorted()
    }

    /// Whether the caller's MFA is off, pending or on, and the recovery codes left.
    public func mfaState(_ caller: WebCaller) -> (status: String, recoveryLeft: Int) {
        state.withLock { state in
            guard let record = state.mfa[caller.userID] else { return ("off", 0) }
            return record.isOn ? ("on", record.recoveryCodes.count) : ("pending", 0)
        }
    }
}
