import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `MFA ENROLL|CONFIRM|DISABLE|STATUS` and `USER MFA-RESET` (SPEC §7).
///
/// The secret is shown once, by `ENROLL`, and stored only sealed with the master key;
/// recovery codes are shown once, by `CONFIRM`, and stored only as salted hashes. A
/// code is checked in the writer against the record as committed, so each is accepted
/// once; a wrong one is audited and counts in the login throttle like a wrong password.
extension WardenService {
    /// Ten one-time recovery codes (SPEC §7).
    static let recoveryCodeCount = 10

    func enrollMFA(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        guard let name = context.caller, let id = context.callerID else { throw .noAuth }
        let secret = TOTP.newSecret()
        let sealed: String
        do { sealed = try store.secrets.sealTOTPSecret(secret, userID: id) } catch { throw .internalError("the secret could not be sealed") }
        let reply = Reply.ok(.pair("secret", Base32.encode(secret)), .pair("uri", otpauthURI(secret: secret, user: name)))
        return ownChange(context, action: "mfa.enroll") { scope, user, record in
            guard user.passwordHash != nil else { throw WardenError.conflict("MFA protects a password sign-in; \(name) has no password") }
            if record?.isOn == true { throw WardenError.conflict("MFA is already on; MFA DISABLE it first") }
            try scope.transaction.write(.mfaEnrolled(MFARecord(userID: id, sealedSecret: sealed, enrolled: scope.now)))
            return OwnResult(reply, detail: record == nil ? "mfa=pending" : "mfa=pending (replaces an unconfirmed enrolment)")
        }
    }

    func confirmMFA(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 1, count: 1...1, usage: context.usage)
        let code = args.positional[0]
        let codes = (0..<WardenService.recoveryCodeCount).map { _ in RecoveryCode.generate() }
        let hashes = codes.map(RecoveryCode.hash)
        return ownChange(context, action: "mfa.confirm", presentsCode: true) { [self] scope, _, record in
            guard let record else { throw WardenError.conflict("no MFA enrolment is pending; MFA ENROLL first") }
            guard !record.isOn else { throw WardenError.conflict("MFA is already on") }
            switch checkCode(code, against: record, at: scope.now, allowRecovery: false) {
            case .accepted(.mfaCodeAccepted(_, let steps), _):
                try scope.transaction.write(.mfaConfirmed(userID: record.userID, at: scope.now, usedSteps: steps, recoveryCodes: hashes))
                return OwnResult(.ok(.pair("mfa", "on"), .pair("recovery", codes.joined(separator: ","))),
                                 detail: "mfa=on recovery-codes=\(codes.count)")
            case let verdict:
                return .refused(verdict)
            }
        }
    }

    func disableMFA(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 1, count: 1...1, usage: context.usage)
        let code = args.positional[0]
        return ownChange(context, action: "mfa.disable", presentsCode: true) { [self] scope, _, record in
            guard let record, record.isOn else { throw WardenError.conflict("MFA is off") }
            switch checkCode(code, against: record, at: scope.now) {
            case .accepted(_, let detail):
                try scope.transaction.write(.mfaRemoved(userID: record.userID))
                return OwnResult(.ok(.pair("mfa", "off")), detail: "mfa=off (\(detail))")
            case let verdict:
                return .refused(verdict)
            }
        }
    }

    func mfaStatus(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        guard let id = context.callerID else { throw .noAuth }
        let record = state.withLock { $0.mfa[id] }
        let status = record.map { $0.isOn ? "on" : "pending" } ?? "off"
        let left = record?.isOn == true ? record?.recoveryCodes.count ?? 0 : 0
        return .reply(.ok(.pair("mfa", status), .pair("recovery-left", String(left))))
    }

    /// `USER MFA-RESET user`: a help desk removes a user's MFA (pending or on) so that
    /// they enrol again, e.g. after losing their phone. §2.6's rule applies: resetting
    /// an administrator's needs every `warden` permission they hold. Not on oneself:
    /// turning one's own MFA off takes a code (`MFA DISABLE`).
    func resetMFA(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return change(context, action: "user.mfa-reset", target: name, permission: .userAdmin, scope: .user(name),
                      forbidSelf: true) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            let reply = Reply.ok(.pair("user", name), .pair("mfa", "off"))
            guard let record = scope.state.mfa[user.id] else { return ChangeResult(reply, detail: "mfa was off") }
            try scope.transaction.write(.mfaRemoved(userID: user.id))
            return ChangeResult(reply, detail: record.isOn ? "mfa=off" : "mfa=off (pending enrolment removed)")
        }
    }

    /// The `otpauth://` URI of Google's Key URI Format, which authenticator apps read
    /// from a QR code: `otpauth://totp/ISSUER:USER?secret=…&issuer=ISSUER&…`.
    func otpauthURI(secret: [UInt8], user: String) -> String {
        let issuer = WardenService.percentEncoded(configuration.issuer)
        return "otpauth://totp/\(issuer):\(WardenService.percentEncoded(user))?secret=\(Base32.encode(secret))"
            + "&issuer=\(issuer)&algorithm=SHA1&digits=6&period=\(TOTP.period)"
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

private extension WardenService.OwnResult {
    /// A code that was not accepted: `AUTH-FAILED`, audited as a failed attempt (without the code).
    static func refused(_ verdict: WardenService.CodeCheck) -> Self {
        Self(.error(.authFailed), detail: verdict == .replayed ? "code already used" : "wrong code", result: .failed)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
