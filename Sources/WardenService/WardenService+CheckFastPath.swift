import WardenCore

/// `CHECK` is what every service asks on every request of its own, so the line protocol
/// answers its plain form without building a `Request`, a `Reply` or their arrays: the
/// server cuts the three names out of the line (`CheckLine`), this decides, and the
/// server writes the answer's bytes itself.
///
/// It decides nothing of its own. The session is checked by the same `sessionUser` as
/// every other request, the caller must hold `warden check` as `CHECK` requires, and the
/// decision is `Directory.check`'s, all under one hold of the state lock. Whatever it
/// does not answer itself (no session, a caller without `check` or one who must enrol
/// MFA first, a name that is not a valid identifier) it leaves to `handle`, which
/// answers and audits as always: this returns `nil`.
extension WardenService {
    public func answerCheck(
        user: UnsafeBufferPointer<UInt8>, system: UnsafeBufferPointer<UInt8>, permission: UnsafeBufferPointer<UInt8>,
        session: inout Session
    ) -> Decision? {
        guard session.userID != nil, let user = WardenService.identifier(user), let system = WardenService.identifier(system),
              let permission = WardenService.identifier(permission)
        else { return nil }
        let now = Timestamp.now()
        return state.withLock { state -> Decision? in
            guard let (_, mustEnrol) = sessionUser(&session, in: state, at: now), !mustEnrol,
                  session.permissions?.holds(.check) == true
            else { return nil }
            return state.directory.check(user: user, Entitlement(system: system, permission: permission), at: now)
        }
    }

    /// `bytes` folded to lower case when they are a valid identifier (SPEC §2), else `nil`.
    static func identifier(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard count > 0, count <= Identifier.maximumLength else { return nil }
        var valid = true
        let folded = String(unsafeUninitializedCapacity: count) { buffer in
            for (index, byte) in bytes.enumerated() {
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                let alphanumeric = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                    || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9"))
                if !alphanumeric && (index == 0 || (lower != UInt8(ascii: ".") && lower != UInt8(ascii: "_")
                    && lower != UInt8(ascii: "@") && lower != UInt8(ascii: "-"))) {
                    valid = false
                }
                buffer[index] = lower
            }
            return count
        }
        return valid ? folded : nil
    }
}
