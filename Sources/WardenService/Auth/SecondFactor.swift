import WardenCore
import WardenCrypto
import WardenStore

/// Checking a presented TOTP or recovery code against a user's MFA record (SPEC §7).
///
/// It runs in the writer, against the record as committed (on a cluster, after the
/// node has caught up under the audit head's lock), and the change it returns is
/// committed in the same transaction: so a code is accepted once, across connections
/// and across nodes, even when two arrive together.
extension WardenService {
    enum CodeCheck: Equatable {
        /// A right code: the change that spends it, and `totp` or `recovery`.
        case accepted(Change, detail: String)
        /// A right code that was accepted before.
        case replayed
        case wrong
    }

    /// A TOTP code is six digits; anything else is tried as a recovery code (only once
    /// MFA is on: a pending enrolment has none).
    static func isTOTPCode(_ code: String) -> Bool {
        code.utf8.count == 6 && code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    func checkCode(_ code: String, against record: MFARecord, at now: Timestamp, allowRecovery: Bool = true) -> CodeCheck {
        guard WardenService.isTOTPCode(code) else {
            guard allowRecovery, record.isOn, let index = record.recoveryCodes.firstIndex(where: { RecoveryCode.matches(code, $0) }) else {
                return .wrong
            }
            var remaining = record.recoveryCodes
            remaining.remove(at: index)
            return .accepted(.mfaRecoveryCodeUsed(userID: record.userID, remaining: remaining), detail: "recovery")
        }
        guard let secret = try? store.secrets.totpSecret(of: record), let totp = try? TOTP(secret: secret) else {
            logger.error("a TOTP secret does not open with this master key", metadata: ["user.id": "\(record.userID)"])
            return .wrong
        }
        // The code's own step and one either side (RFC 6238 §5.2's allowance for clock
        // drift and the time it takes to type).
        let step = TOTP.step(at: now.seconds)
        let matching = totp.steps(matching: code, among: (step - 1)...(step + 1))
        guard !matching.isEmpty else { return .wrong }
        guard let unused = matching.first(where: { !record.usedSteps.contains($0) }) else { return .replayed }
        return .accepted(.mfaCodeAccepted(userID: record.userID, usedSteps: record.remembering(unused)), detail: "totp")
    }
}
