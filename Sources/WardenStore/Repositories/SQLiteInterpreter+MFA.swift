import WardenCore

/// Writes of TOTP enrolments (`mfa`), for `write(_ change:)`. The secret reaches the
/// database only sealed, recovery codes only as salted hashes.
extension SQLiteInterpreter {
    func write(mfa change: Change) throws(SQLiteError) {
        switch change {
        case .mfaEnrolled(let record):
            try connection.run("""
                INSERT OR REPLACE INTO mfa (user_id, sealed_secret, enrolled_ms, confirmed_ms, used_steps, recovery_codes)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                .integer(record.userID), .text(record.sealedSecret), .integer(record.enrolled.milliseconds),
                .optional(record.confirmed?.milliseconds), .text(MFAColumns.steps(record.usedSteps)),
                .text(MFAColumns.codes(record.recoveryCodes)))
        case .mfaConfirmed(let id, let time, let steps, let codes):
            try connection.run(
                "UPDATE mfa SET confirmed_ms = ?, used_steps = ?, recovery_codes = ? WHERE user_id = ?",
                .integer(time.milliseconds), .text(MFAColumns.steps(steps)), .text(MFAColumns.codes(codes)), .integer(id))
        case .mfaCodeAccepted(let id, let steps):
            try connection.run("UPDATE mfa SET used_steps = ? WHERE user_id = ?", .text(MFAColumns.steps(steps)), .integer(id))
        case .mfaRecoveryCodeUsed(let id, let remaining):
            try connection.run("UPDATE mfa SET recovery_codes = ? WHERE user_id = ?", .text(MFAColumns.codes(remaining)), .integer(id))
        case .mfaRemoved(let id):
            try connection.run("DELETE FROM mfa WHERE user_id = ?", .integer(id))
        default:
            break
        }
    }
}

/// SQLite has no arrays: the `mfa` table's lists are comma-separated text (neither a
/// step number nor a `sha256$SALT$HASH` string holds a comma).
enum MFAColumns {
    static func steps(_ steps: [Int64]) -> String { steps.map(String.init).joined(separator: ",") }
    static func codes(_ codes: [String]) -> String { codes.joined(separator: ",") }
    static func steps(_ text: String) -> [Int64] { text.split(separator: ",").compactMap { Int64($0) } }
    static func codes(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}
