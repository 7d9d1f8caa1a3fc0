import Testing
import WardenCore
import WardenProtocol
@testable import WardenService

/// SPEC §8: a pending request expires 24 hours after it was made, recorded once, by
/// the background pass, with its audit entry; an approval after that is `CONFLICT`.
@Suite struct RequestExpiryTests {
    @Test func aRequestPendingForADayExpiresOnceAndCannotBeApproved() async throws {
        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        for line in ["ROLE ADD oncall", "ROLE SET oncall requestable=yes", "USER ADD raj password=Raj-Password-12"] {
            #expect(try await harness.send(line, on: &admin).hasPrefix("OK"), "\(line)")
        }
        var raj = try await harness.session(as: "raj", password: "Raj-Password-12")
        #expect(try await harness.send("REQUEST oncall reason=please", on: &raj) == "OK request=1 status=pending")
        // Not yet due: nothing happens.
        #expect(await harness.service.expireRequests() == 0)
        let dayLater = Timestamp.now().adding(seconds: AccessRequest.pendingLifetime + 1)
        #expect(await harness.service.expireRequests(now: dayLater) == 1)
        #expect(await harness.service.expireRequests(now: dayLater) == 0, "recorded once")
        #expect(try await harness.send("REQUEST SHOW 1", on: &raj).contains(" status=expired "))
        #expect(try await harness.send("REQUEST APPROVE 1", on: &admin) == "ERR CONFLICT request 1 is expired")
        let rows = try await harness.auditRows(where: "action = 'request.expire'")
        #expect(rows.count == 1)
        // A new request for the same role may be made again.
        #expect(try await harness.send("REQUEST oncall reason=again", on: &raj) == "OK request=2 status=pending")
    }

    @Test func aPendingRequestReadsExpiredAtItsInstantBeforeThePassRecordsIt() {
        let made = Timestamp(seconds: 1_800_000_000)
        let request = AccessRequest(id: 1, userID: 1, role: "r", duration: 60, reason: "x", created: made)
        #expect(request.status(at: made.adding(seconds: AccessRequest.pendingLifetime - 1)) == .pending)
        #expect(request.status(at: made.adding(seconds: AccessRequest.pendingLifetime)) == .expired)
    }
}
