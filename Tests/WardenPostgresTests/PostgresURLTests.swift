import Testing
@testable import WardenPostgres

@Suite struct PostgresURLTests {
    @Test func theFormOfSpecSixParses() throws {
        let url = try PostgresURL("postgres://warden@db.example.com:6543/iam?sslmode=require")
        #expect(url.user == "warden")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "iam")
        #expect(url.sslMode == .require)
    }

    @Test func withoutSSLModeALoopbackHostPrefersTLSAndAnyOtherRequiresAVerifiedCertificate() throws {
        #expect(try PostgresURL("postgres://w@127.0.0.1:5432/d").sslMode == .prefer)
        #expect(try PostgresURL("postgres://w@localhost/d").sslMode == .prefer)
        #expect(try PostgresURL("postgres://w@[::1]:5432/d").sslMode == .prefer)
        #expect(try PostgresURL("postgres://w@db.internal:5432/d").sslMode == .verifyFull)
        #expect(try PostgresURL("postgres://w@127.evil.example:5432/d").sslMode == .verifyFull)
    }

    @Test func anIPv6HostAndTheDefaultPort() throws {
        let url = try PostgresURL("postgresql://w@[fd00::5]/d?sslmode=disable")
        #expect(url.host == "fd00::5")
        #expect(url.port == 5432)
        #expect(url.description == "postgres://w@[fd00::5]:5432/d?sslmode=disable")
    }

    @Test(arguments: [
        ("mysql://w@h:1/d", "must start with postgres://"),
        ("postgres://w:secret@h:1/d", "must not contain the password"),
        ("postgres://h:1/d", "names no user"),
        ("postgres://w@h:1", "names no database"),
        ("postgres://w@h:1/", "names no database"),
        ("postgres://w@h:0/d", "port"),
        ("postgres://w@h:99999/d", "port"),
        ("postgres://w@h:x/d", "port"),
        ("postgres://w@/d", "malformed host"),
        ("postgres://w@h o/d", "malformed host"),
        ("postgres://w@h:1/d?sslmode=allow", "sslmode must be"),
        ("postgres://w@h:1/d?sslmode=prefer", "sslmode must be"),
        ("postgres://w@h:1/d?password=x", "unsupported parameter"),
    ])
    func aBadURLIsRefusedWithWhatIsWrong(text: String, expected: String) {
        #expect {
            try PostgresURL(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func theDescriptionCarriesNoPassword() throws {
        #expect(try PostgresURL("postgres://w@h:1/d?sslmode=disable").description == "postgres://w@h:1/d?sslmode=disable")
    }
}
