/// A user's TOTP second factor (SPEC §7): pending from `MFA ENROLL` until `MFA CONFIRM`,
/// then on until `MFA DISABLE` or `USER MFA-RESET` removes it.
public struct MFARecord: Sendable, Equatable, Codable {
    public var userID: Int64
    /// The TOTP secret sealed with the master key (`SecretVault`), bound to the user's id.
    public var sealedSecret: String
    public var enrolled: Timestamp
    /// When it was confirmed; nil while the enrolment is pending.
    public var confirmed: Timestamp?
    /// The time steps whose codes were accepted lately, oldest first: each code is
    /// accepted once (RFC 6238 §5.2). Steps too old to be presented again are dropped
    /// (`remembering`), so the list stays a handful long.
    public var usedSteps: [Int64]
    /// Salted hashes of the recovery codes not used yet (`RecoveryCode`).
    public var recoveryCodes: [String]

    public init(userID: Int64, sealedSecret: String, enrolled: Timestamp, confirmed: Timestamp? = nil,
                usedSteps: [Int64] = [], recoveryCodes: [String] = []) {
        self.userID = userID
        self.sealedSecret = sealedSecret
        self.enrolled = enrolled
        self.confirmed = confirmed
        self.usedSteps = usedSteps
        self.recoveryCodes = recoveryCodes
    }

    public var isOn: Bool { confirmed != nil }

    /// The steps to remember once `step` is accepted too. A verifier takes a step one
    /// either side of its clock's, so once `step` was accepted no step before
    /// `step - 2` can be presented in time; two more are kept for nodes whose clocks
    /// differ by a step.
    public func remembering(_ step: Int64) -> [Int64] {
        (usedSteps + [step]).filter { $0 >= step - 4 }.sorted()
    }
}
