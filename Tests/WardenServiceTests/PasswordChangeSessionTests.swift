import Testing
import WardenService

/// A password change ends the sessions opened with the old password (ASVS 7.4.3):
/// whoever knew it is signed out at their next request.
@Suite struct PasswordChangeSessionTests {
    func carol(_ harness: ServiceHarness) async throws -> Session {
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("USER ADD carol password=Carol-Password-1", on: &admin) == "OK user=carol")
        return try await harness.session(as: "carol", password: "Carol-Password-1")
    }

    @Test func passwdEndsTheUsersOtherSessionsAndKeepsThisOne() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var this = try await carol(harness)
        var other = try await harness.session(as: "carol", password: "Carol-Password-1")

        #expect(try await harness.send("PASSWD Carol-Password-1 Carol-Password-2", on: &this) == "OK")
        #expect(try await harness.send("HELLO", on: &this) == "OK server=warden version=1.0.0 proto=1 user=carol")
        #expect(try await harness.send("HELLO", on: &other) == "OK server=warden version=1.0.0 proto=1 user=none")
        #expect(try await harness.send("PASSWD Carol-Password-2 Carol-Password-3", on: &other) == "ERR NOAUTH authenticate first")
        _ = try await harness.session(as: "carol", password: "Carol-Password-2")
    }

    @Test func aWrongCurrentPasswordEndsNoSession() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var this = try await carol(harness)
        var other = try await harness.session(as: "carol", password: "Carol-Password-1")

        #expect(try await harness.send("PASSWD Wrong-Password-9 Carol-Password-2", on: &this) == "ERR AUTH-FAILED authentication failed")
        #expect(try await harness.send("HELLO", on: &other) == "OK server=warden version=1.0.0 proto=1 user=carol")
    }

    @Test func userPasswdEndsTheTargetsSessions() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var carolSession = try await carol(harness)
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)

        #expect(try await harness.send("USER PASSWD carol Carol-Password-2", on: &admin) == "OK")
        #expect(try await harness.send("HELLO", on: &carolSession) == "OK server=warden version=1.0.0 proto=1 user=none")
        _ = try await harness.session(as: "carol", password: "Carol-Password-2")
    }

    @Test func userPasswdOnOneselfKeepsTheCallersSession() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)

        #expect(try await harness.send("USER PASSWD admin Admin-Password-New-2", on: &admin) == "OK")
        #expect(try await harness.send("HELLO", on: &admin) == "OK server=warden version=1.0.0 proto=1 user=admin")
    }
}
