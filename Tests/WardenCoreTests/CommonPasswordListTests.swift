import Testing
import WardenCore

/// The list embedded at build time from `Policy/common-passwords.txt` is whole: first
/// and last words, and every one of its lines.
@Suite struct CommonPasswordListTests {
    @Test func theWholeListIsEmbedded() {
        #expect(CommonPasswords.contains("123456"))
        #expect(CommonPasswords.contains("geekboy"))
        #expect(CommonPasswords.set.count == 30000)
        #expect(!CommonPasswords.contains(""))
    }
}
