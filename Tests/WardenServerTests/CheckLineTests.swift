import Testing
@testable import WardenServer

/// Which lines take `CHECK`'s own path: the plain form only.
@Suite struct CheckLineTests {
    static func names(_ line: String) -> [String]? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            CheckLine.names(in: buffer).map { names in
                [names.user, names.system, names.permission].map { String(decoding: buffer[$0], as: UTF8.self) }
            }
        }
    }

    @Test(arguments: [
        ("CHECK alice crm view", ["alice", "crm", "view"]),
        ("check Alice CRM view", ["Alice", "CRM", "view"]),
        ("  CHECK  alice   crm view  ", ["alice", "crm", "view"]),
        ("ChEcK a b c", ["a", "b", "c"]),
    ])
    func takesThePlainForm(line: String, expected: [String]) {
        #expect(Self.names(line) == expected)
    }

    @Test(arguments: [
        "CHECK alice crm", "CHECK alice crm view extra", "CHECKS alice crm view", "CHEC alice crm view",
        "ACCESS alice crm view", "", "CHECK", "WHO alice crm view",
    ])
    func leavesEverythingElse(line: String) {
        #expect(Self.names(line) == nil)
    }
}
