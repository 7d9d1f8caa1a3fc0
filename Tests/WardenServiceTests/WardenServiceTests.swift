import Foundation
import Testing
import WardenService

/// The use cases end to end inside the process: a real service on a real SQLite file,
/// requests handed to `handle` as the server would (SPEC §1, §2.1–2.3, §2.6).
@Suite struct WardenServiceTests {
    @Test func firstStartCreatesTheAdminHoldingWardenAdmin() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var session = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)

        #expect(try await harness.send("CHECK admin warden user-admin", on: &session) == "OK ALLOW via=role:warden-admin")
        #expect(try await harness.send("CHECK admin warden key-admin", on: &session) == "OK ALLOW via=role:warden-admin")
        #expect(try await harness.auditRows(where: "action = 'bootstrap'") == ["warden bootstrap admin ok"])
        // The password came from the configuration, so no file holds it.
        #expect(!FileManager.default.fileExists(atPath: harness.dataPath + "/bootstrap-admin.txt"))
    }

    @Test func refusesEverythingButTheGreetingsBeforeAUTH() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var session = Session(source: "127.0.0.1")

        #expect(try await harness.send("PING", on: &session) == "OK PONG")
        #expect(try await harness.send("USER LIST", on: &session) == "ERR NOAUTH authenticate first")
        #expect(try await harness.send("CHECK admin warden grant", on: &session) == "ERR NOAUTH authenticate first")
        #expect(try await harness.send("FROBNICATE", on: &session) == "ERR NOAUTH authenticate first")
        #expect(try await harness.send("AUTH admin wrong-password", on: &session) == "ERR AUTH-FAILED authentication failed")
        #expect(try await harness.send("USER LIST", on: &session) == "ERR NOAUTH authenticate first")
        #expect(try await harness.send("AUTH admin \(ServiceHarness.adminPassword)", on: &session) == "OK user=admin")
        #expect(try await harness.send("HELLO", on: &session) == "OK server=warden version=1.0.0 proto=1 user=admin")
    }

    @Test func buildsADirectoryThatChecksAllowViaTheRole() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var session = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)

        #expect(try await harness.send("SYSTEM ADD payroll permissions=read,write", on: &session) == "OK system=payroll")
        #expect(try await harness.send(#"ROLE ADD clerk description="Payroll clerks""#, on: &session) == "OK role=clerk")
        #expect(try await harness.send("ROLE GRANT clerk payroll read", on: &session) == "OK")
        #expect(try await harness.send(#"USER ADD Bob name="Bob Builder""#, on: &session) == "OK user=bob")
        #expect(try await harness.send("GRANT bob clerk", on: &session) == "OK user=bob grant=role:clerk until=never")
        #expect(try await harness.send("CHECK bob payroll read", on: &session) == "OK ALLOW via=role:clerk")
        #expect(try await harness.send("CHECK bob payroll write", on: &session) == "OK DENY reason=no-grant")
        #expect(try await harness.send("CHECK nobody payroll read", on: &session) == "OK DENY reason=unknown-user")
    }

    @Test func refusesAndAuditsACommandTheCallerHasNoPermissionFor() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("USER ADD carol password=Carol-Password-1", on: &admin) == "OK user=carol")
        var carol = try await harness.session(as: "carol", password: "Carol-Password-1")

        #expect(try await harness.send("USER ADD dave", on: &carol) == "ERR FORBIDDEN requires warden user-admin")
        #expect(try await harness.send("CHECK admin warden grant", on: &carol) == "ERR FORBIDDEN requires warden check")
        #expect(try await harness.auditRows(where: "actor = 'carol' AND result = 'denied'") == [
            "carol user.add dave denied",
            "carol check admin denied",
        ])
        #expect(try await harness.send("USER SHOW dave", on: &admin) == "ERR NOT-FOUND no user dave")
    }

    @Test func refusesUSERADDWithoutPermissionBeforeSayingWhetherTheUserExists() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        #expect(try await harness.send("USER ADD carol password=Carol-Password-1", on: &admin) == "OK user=carol")
        var carol = try await harness.session(as: "carol", password: "Carol-Password-1")

        // EXISTS here would let any authenticated user enumerate usernames.
        #expect(try await harness.send("USER ADD admin", on: &carol) == "ERR FORBIDDEN requires warden user-admin")
        #expect(try await harness.send("USER ADD admin password=Another-Pass-1", on: &carol)
            == "ERR FORBIDDEN requires warden user-admin")
        #expect(try await harness.auditRows(where: "actor = 'carol' AND result = 'denied'") == [
            "carol user.add admin denied",
            "carol user.add admin denied",
        ])
    }
}
