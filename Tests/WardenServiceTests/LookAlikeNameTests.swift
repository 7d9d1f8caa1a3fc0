import Testing
import WardenService

/// Only ASCII `A-Z` fold (SPEC §2, v2): a name spelled with a Unicode look-alike (the
/// Kelvin sign U+212A, which Unicode lower-cases to `k`) is not another spelling of an
/// existing user, and never reaches one.
@Suite struct LookAlikeNameTests {
    static let kelvinKate = "\u{212A}ate"

    @Test func aLookAlikeNameIsInvalidEverywhere() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("USER ADD kate password=Kate-Password-1", on: &admin) == "OK user=kate")

        #expect(try await harness.send("USER ADD \(Self.kelvinKate)", on: &admin).hasPrefix("ERR INVALID"))
        #expect(try await harness.send("USER SHOW \(Self.kelvinKate)", on: &admin).hasPrefix("ERR INVALID"))
        #expect(try await harness.send("USER DISABLE \(Self.kelvinKate)", on: &admin).hasPrefix("ERR INVALID"))
        #expect(try await harness.send("GRANT \(Self.kelvinKate) warden-admin", on: &admin).hasPrefix("ERR INVALID"))
        #expect(try await harness.send("USER SHOW kate", on: &admin).contains("status=active"))

        var other = Session(source: "127.0.0.1")
        #expect(try await harness.send("AUTH \(Self.kelvinKate) Kate-Password-1", on: &other) == "ERR AUTH-FAILED authentication failed")
        #expect(try await harness.send("LOGIN \(Self.kelvinKate) Kate-Password-1", on: &other) == "ERR AUTH-FAILED authentication failed")
        // ASCII case still folds.
        #expect(try await harness.send("AUTH KATE Kate-Password-1", on: &other) == "OK user=kate")
    }
}
