import Testing
import WardenCore

/// Which changes end a user's web sessions (SPEC §11): a password change or reset, a
/// disable, a delete — and nothing else, an enable least of all.
@Suite struct WebSessionEndingTests {
    @Test(arguments: [
        (Change.passwordSet(userID: 7, phc: "x"), Int64?.some(7)),
        (.passwordReset(userID: 7, phc: "x", endsSessions: false), 7),
        (.passwordReset(userID: 7, phc: "x", endsSessions: true), 7),
        (.disabled(userID: 7), 7),
        (.userDeleted(userID: 7), 7),
        (.enabled(userID: 7), nil),
        (.loggedIn(userID: 7, at: Timestamp(seconds: 1), upgradedHash: "y"), nil),
        (.mfaRemoved(userID: 7), nil),
        (.webSessionEnded(digest: "ab"), nil),
    ])
    func endsWebSessions(_ change: Change, _ user: Int64?) {
        #expect(change.endsWebSessions == user)
    }
}
