import Foundation
import Testing
import WardenService

/// A session keeps its caller's `warden` permissions between requests (SPEC §2.6):
/// the cache must never let a revoked, expired or disabled caller keep a right.
@Suite struct CallerPermissionsTests {
    /// `carol` with `warden check` given directly (optionally `for=`), and her open session.
    func carolWithCheck(_ harness: ServiceHarness, _ admin: inout Session, lifetime: String = "") async throws -> Session {
        #expect(try await harness.send("USER ADD carol password=Carol-Password-1", on: &admin) == "OK user=carol")
        let reply = try await harness.send("GRANT carol warden check \(lifetime)", on: &admin)
        #expect(reply.hasPrefix("OK user=carol grant=warden:check"))
        var carol = try await harness.session(as: "carol", password: "Carol-Password-1")
        #expect(try await harness.send("CHECK admin warden grant", on: &carol) == "OK ALLOW via=role:warden-admin")
        return carol
    }

    @Test func aRevokedPermissionIsRefusedOnTheSessionsNextRequest() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        var carol = try await carolWithCheck(harness, &admin)

        #expect(try await harness.send("REVOKE carol warden check", on: &admin) == "OK user=carol revoked=warden:check")
        #expect(try await harness.send("CHECK admin warden grant", on: &carol) == "ERR FORBIDDEN requires warden check")
    }

    @Test func aPermissionFromARoleEndsWhenTheRoleLosesIt() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("ROLE ADD auditors", on: &admin) == "OK role=auditors")
        #expect(try await harness.send("ROLE GRANT auditors warden check", on: &admin) == "OK")
        #expect(try await harness.send("USER ADD dave password=Dave-Password-1", on: &admin) == "OK user=dave")
        #expect(try await harness.send("GRANT dave auditors", on: &admin) == "OK user=dave grant=role:auditors until=never")
        var dave = try await harness.session(as: "dave", password: "Dave-Password-1")
        #expect(try await harness.send("CHECK dave warden check", on: &dave) == "OK ALLOW via=role:auditors")

        #expect(try await harness.send("ROLE REVOKE auditors warden check", on: &admin) == "OK")
        #expect(try await harness.send("CHECK dave warden check", on: &dave) == "ERR FORBIDDEN requires warden check")
    }

    @Test func aPermissionEndsWhenItsGrantExpiresWithoutAnyOtherChange() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        var carol = try await carolWithCheck(harness, &admin, lifetime: "for=1s")

        try await Task.sleep(for: .milliseconds(1_100))
        #expect(try await harness.send("CHECK admin warden grant", on: &carol) == "ERR FORBIDDEN requires warden check")
    }

    @Test func aPermissionGrantedWhileTheSessionIsOpenCountsAtOnce() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("USER ADD erin password=Erin-Password-1", on: &admin) == "OK user=erin")
        var erin = try await harness.session(as: "erin", password: "Erin-Password-1")
        #expect(try await harness.send("WHO warden", on: &erin) == "ERR FORBIDDEN requires warden check")

        _ = try await harness.send("GRANT erin warden check", on: &admin)
        #expect(try await harness.send("CHECK erin warden check", on: &erin) == "OK ALLOW via=direct")
    }

    @Test func aDisabledCallerFallsBackToUnauthenticated() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        var carol = try await carolWithCheck(harness, &admin)

        #expect(try await harness.send("USER DISABLE carol", on: &admin) == "OK user=carol status=disabled")
        #expect(try await harness.send("CHECK admin warden grant", on: &carol) == "ERR NOAUTH authenticate first")
    }
}
