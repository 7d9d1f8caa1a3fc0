import Testing
import WardenService

/// SPEC §2.3's last administrator: only a grant of `warden-admin` without an expiry
/// counts, or someone made admin for a few seconds could remove the only permanent
/// one and leave nobody a moment later.
@Suite struct LastAdministratorTests {
    func admin(_ harness: ServiceHarness) async throws -> Session {
        try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
    }

    @Test func aTimedAdministratorCannotDisableTheLastPermanentOne() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await admin(harness)
        #expect(try await harness.send("USER ADD temp password=Temp-Password-1", on: &admin) == "OK user=temp")
        #expect(try await harness.send("GRANT temp warden-admin for=1h", on: &admin).hasPrefix("OK user=temp"))
        var temp = try await harness.session(as: "temp", password: "Temp-Password-1")

        #expect(try await harness.send("USER DISABLE admin", on: &temp) == "ERR CONFLICT admin is the last enabled holder of warden-admin")
        #expect(try await harness.send("REVOKE admin warden-admin", on: &temp) == "ERR CONFLICT admin is the last enabled holder of warden-admin")
        #expect(try await harness.send("USER DELETE admin", on: &temp) == "ERR CONFLICT admin is the last enabled holder of warden-admin")

        // With a second permanent administrator, the first may go.
        #expect(try await harness.send("USER ADD second password=Second-Password-1", on: &admin) == "OK user=second")
        #expect(try await harness.send("GRANT second warden-admin", on: &admin).hasPrefix("OK user=second"))
        #expect(try await harness.send("USER DISABLE admin", on: &temp).hasPrefix("OK"))
    }
}
