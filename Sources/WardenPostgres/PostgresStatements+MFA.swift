import PostgresNIO
import WardenCore

/// Writes of TOTP enrolments (`mfa`), for `statements(for:)`: the statements of
/// SQLite's `SQLiteInterpreter+MFA.swift`, with the lists as arrays. The secret reaches
/// the database only sealed, recovery codes only as salted hashes.
extension PostgresStatements {
    static func statements(mfa change: Change) -> [PostgresQuery] {
        switch change {
        case .mfaEnrolled(let record):
            return ["""
                INSERT INTO mfa (user_id, sealed_secret, enrolled_ms, confirmed_ms, used_steps, recovery_codes)
                VALUES (\(record.userID), \(record.sealedSecret), \(record.enrolled.milliseconds), \(record.confirmed?.milliseconds),
                        \(record.usedSteps)::bigint[], \(record.recoveryCodes)::text[])
                ON CONFLICT (user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, enrolled_ms = excluded.enrolled_ms,
                    confirmed_ms = excluded.confirmed_ms, used_steps = excluded.used_steps, recovery_codes = excluded.recovery_codes
                """]
        case .mfaConfirmed(let id, let time, let steps, let codes):
            return ["""
                UPDATE mfa SET confirmed_ms = \(time.milliseconds), used_steps = \(steps)::bigint[], recovery_codes = \(codes)::text[]
                WHERE user_id = \(id)
                """]
        case .mfaCodeAccepted(let id, let steps):
            return ["UPDATE mfa SET used_steps = \(steps)::bigint[] WHERE user_id = \(id)"]
        case .mfaRecoveryCodeUsed(let id, let remaining):
            return ["UPDATE mfa SET recovery_codes = \(remaining)::text[] WHERE user_id = \(id)"]
        case .mfaRemoved(let id):
            return ["DELETE FROM mfa WHERE user_id = \(id)"]
        default:
            return []
        }
    }
}
