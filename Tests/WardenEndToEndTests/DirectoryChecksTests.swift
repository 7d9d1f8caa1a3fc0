import Foundation
import Testing

/// SPEC §2.3: what `CHECK`, `ACCESS` and `WHO` answer for a provisioned company, and
/// how time-limited grants stop counting.
@Suite struct DirectoryChecksTests {
    @Test func checkNamesTheGrantedRoleEvenWhenTheEntitlementComesFromAnIncludedRole() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        // dave holds finance-lead ⊃ finance ⊃ employee.
        #expect(try admin.send("CHECK dave payroll approve").final == "OK ALLOW via=role:finance-lead")
        #expect(try admin.send("CHECK dave payroll read").final == "OK ALLOW via=role:finance-lead")
        #expect(try admin.send("CHECK dave wiki read").final == "OK ALLOW via=role:finance-lead")
        #expect(try admin.send("CHECK alice crm edit").final == "OK ALLOW via=role:sales")
        #expect(try admin.send("CHECK erin wiki read").final == "OK ALLOW via=role:employee")
    }

    @Test func checkSaysDirectForAnEntitlementGrantedDirectly() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT erin payroll read reason=\"quarter close\"")
        #expect(try admin.send("CHECK erin payroll read").final == "OK ALLOW via=direct")
    }

    @Test func checkDeniesWithoutAGrantAndForUnknownUsers() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        #expect(try admin.send("CHECK alice payroll read").final == "OK DENY reason=no-grant")
        #expect(try admin.send("CHECK erin crm view").final == "OK DENY reason=no-grant")
        #expect(try admin.send("CHECK mallory wiki read").final == "OK DENY reason=unknown-user")
    }

    @Test func checkFoldsNamesToLowerCase() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        #expect(try admin.send("check DAVE Payroll APPROVE").final == "OK ALLOW via=role:finance-lead")
    }

    @Test func anOpenSystemAcceptsAnyPermission() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        // wiki was registered without a permission list.
        try admin.expectOK("GRANT heidi wiki publish")
        #expect(try admin.send("CHECK heidi wiki publish").final == "OK ALLOW via=direct")
    }

    @Test func accessListsEveryEffectiveEntitlementWithItsSourceAndExpiry() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT dave crm view until=2030-01-01T00:00:00Z reason=\"audit support\"")
        let reply = try admin.send("ACCESS dave")
        #expect(Set(reply.data) == [
            "system=crm permission=view via=direct until=2030-01-01T00:00:00Z",
            "system=payroll permission=approve via=role:finance-lead until=never",
            "system=payroll permission=read via=role:finance-lead until=never",
            "system=payroll permission=write via=role:finance-lead until=never",
            "system=wiki permission=read via=role:finance-lead until=never",
        ])
        #expect(reply.final == "OK count=5")
    }

    @Test func accessShowsAnEntitlementOnceForEachSourceThatGivesIt() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT erin sales")
        let reply = try admin.send("ACCESS erin")
        #expect(Set(reply.data).isSuperset(of: [
            "system=wiki permission=read via=role:employee until=never",
            "system=wiki permission=read via=role:sales until=never",
        ]))
        #expect(reply.final == "OK count=4")
    }

    @Test func whoListsEveryEnabledHolderForAnAccessReview() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT erin payroll read")
        let reply = try admin.send("WHO payroll read")
        #expect(Set(reply.data) == [
            "user=carol permission=read via=role:finance",
            "user=dave permission=read via=role:finance-lead",
            "user=erin permission=read via=direct",
            "user=grace permission=read via=role:finance",
        ])
        #expect(reply.final == "OK count=4")
        let approvers = try admin.send("WHO payroll approve")
        #expect(approvers.data == ["user=dave permission=approve via=role:finance-lead"])
    }

    @Test func whoWithoutAPermissionListsEveryPermissionOfTheSystem() throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        let reply = try admin.send("WHO crm")
        let expected = ["alice", "bob", "frank", "judy"].flatMap { user in
            ["user=\(user) permission=edit via=role:sales", "user=\(user) permission=view via=role:sales"]
        }
        #expect(Set(reply.data) == Set(expected))
        #expect(reply.count == 8)
    }

    @Test func aGrantForTwoSecondsStopsCountingAfterTwoSeconds() async throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT erin payroll read for=2s reason=\"close the books\"")
        try admin.expectOK("GRANT heidi sales for=2s")
        #expect(try admin.send("CHECK erin payroll read").final == "OK ALLOW via=direct")
        #expect(try admin.send("CHECK heidi crm view").final == "OK ALLOW via=role:sales")
        let until = try admin.send("ACCESS erin").rows.first { $0["system"] == "payroll" }?["until"]
        #expect(until != nil && until != "never")

        try await Task.sleep(for: .milliseconds(2_600))
        #expect(try admin.send("CHECK erin payroll read").final == "OK DENY reason=expired")
        #expect(try admin.send("CHECK heidi crm view").final == "OK DENY reason=expired")
        // Her permanent role still counts.
        #expect(try admin.send("CHECK heidi wiki read").final == "OK ALLOW via=role:employee")
        #expect(try admin.send("ACCESS erin").data == ["system=wiki permission=read via=role:employee until=never"])
        #expect(!(try admin.send("WHO payroll read").data.contains { $0.hasPrefix("user=erin ") }))
        #expect(!(try admin.send("WHO crm").data.contains { $0.hasPrefix("user=heidi ") }))
    }

    @Test func grantingAnExistingGrantAgainReplacesItsExpiry() async throws {
        let (server, admin) = try WardenProcess.company()
        defer { server.stopAndClean() }
        try admin.expectOK("GRANT ivan payroll read for=1s")
        try admin.expectOK("GRANT ivan payroll read reason=\"made permanent\"")
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(try admin.send("CHECK ivan payroll read").final == "OK ALLOW via=direct")
        #expect(try admin.send("ACCESS ivan").data.contains("system=payroll permission=read via=direct until=never"))
    }
}
