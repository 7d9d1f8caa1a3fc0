import Testing
import WardenCore
import WardenProtocol
@testable import WardenService

/// `WardenService.commands` is the one list of commands: these hold it to the parser,
/// to SPEC §2.1's pre-`AUTH` list and to the permission each command really checks.
@Suite struct CommandTableTests {
    @Test func everyNameIsListedOnceAndEveryGroupIsTheParsers() {
        let names = WardenService.commands.map(\.name)
        #expect(Set(names).count == names.count)
        let groups = Set(names.compactMap { name in name.split(separator: " ").count == 2 ? String(name.split(separator: " ")[0]) : nil })
        #expect(groups == Request.commandGroups)
        for name in names {
            #expect(WardenService.commands.first { $0.name == name }?.usage.hasPrefix(name) == true, "usage of \(name)")
        }
    }

    @Test func theCommandsAcceptedBeforeAuthAreSpecsList() {
        let early = Set(WardenService.commands.filter(\.acceptedBeforeAuth).map(\.name))
        #expect(early == ["HELLO", "PING", "AUTH", "LOGIN", "ACTIVATE", "HELP", "QUIT"])
        let credentials = Set(WardenService.commands.filter { $0.access == .credential }.map(\.name))
        #expect(credentials == ["AUTH", "LOGIN", "ACTIVATE"])
    }

    /// One well-formed line for each command that needs a `warden` permission, on the
    /// fixture below; a new command without a line here fails the test.
    static let samples: [String: String] = [
        "USER ADD": "USER ADD newbie", "USER SET": "USER SET target name=\"T\"",
        "USER PASSWD": "USER PASSWD target Fresh-Password-Long-1", "USER SHOW": "USER SHOW target",
        "USER LIST": "USER LIST", "USER DISABLE": "USER DISABLE target", "USER ENABLE": "USER ENABLE target",
        "USER INVITE": "USER INVITE target", "USER DELETE": "USER DELETE target", "USER MFA-RESET": "USER MFA-RESET target",
        "SYSTEM ADD": "SYSTEM ADD other", "SYSTEM SET": "SYSTEM SET app description=\"x\"",
        "SYSTEM SHOW": "SYSTEM SHOW app", "SYSTEM LIST": "SYSTEM LIST", "SYSTEM DELETE": "SYSTEM DELETE spare",
        "ROLE ADD": "ROLE ADD crew2", "ROLE SHOW": "ROLE SHOW crew", "ROLE LIST": "ROLE LIST",
        "ROLE GRANT": "ROLE GRANT crew app read", "ROLE REVOKE": "ROLE REVOKE crew app read",
        "ROLE INCLUDE": "ROLE INCLUDE crew base", "ROLE EXCLUDE": "ROLE EXCLUDE crew base",
        "ROLE DELETE": "ROLE DELETE base", "ROLE SET": "ROLE SET crew description=\"x\"",
        "SOD ADD": "SOD ADD r1 role:crew role:base", "SOD LIST": "SOD LIST", "SOD SHOW": "SOD SHOW r1",
        "SOD DELETE": "SOD DELETE r1", "SOD REPORT": "SOD REPORT",
        "GRANT": "GRANT target crew", "REVOKE": "REVOKE target crew",
        "CHECK": "CHECK target app read", "ACCESS": "ACCESS target", "WHO": "WHO app",
        "TOKEN ISSUE": "TOKEN ISSUE target", "TOKEN REVOKE": "TOKEN REVOKE 0123456789abcdef",
        "VALIDATE": "VALIDATE aaa.bbb.ccc", "KEY ROTATE": "KEY ROTATE", "KEY LIST": "KEY LIST",
        "APIKEY CREATE": "APIKEY CREATE svc", "APIKEY LIST": "APIKEY LIST svc", "APIKEY REVOKE": "APIKEY REVOKE svc 1",
        "AUDIT": "AUDIT", "AUDIT VERIFY": "AUDIT VERIFY",
        "REVIEW START": "REVIEW START role=crew reviewer=target", "REVIEW CLOSE": "REVIEW CLOSE 1",
    ]

    @Test func eachCommandChecksThePermissionItsRowNames() async throws {
        let guarded = WardenService.commands.compactMap { command -> (String, BuiltIn.Permission)? in
            guard case .warden(let permission) = command.access else { return nil }
            return (command.name, permission)
        }
        #expect(Set(guarded.map(\.0)) == Set(Self.samples.keys))

        let harness = try await ServiceHarness.start()
        defer { harness.stop() }
        var admin = try await harness.session(as: "admin", password: ServiceHarness.adminPassword)
        for line in ["USER ADD target", "USER ADD svc kind=service", "USER ADD plain password=Plain-Password-1",
                     "SYSTEM ADD app permissions=read", "SYSTEM ADD spare", "ROLE ADD crew", "ROLE ADD base"] {
            #expect(try await harness.send(line, on: &admin).hasPrefix("OK"), "\(line)")
        }
        var plain = try await harness.session(as: "plain", password: "Plain-Password-1")
        for (name, permission) in guarded {
            let line = try #require(Self.samples[name])
            let reply = try await harness.send(line, on: &plain)
            #expect(reply == "ERR FORBIDDEN requires warden \(permission.rawValue)", "\(line) without \(permission.rawValue)")
        }
        for permission in BuiltIn.Permission.allCases {
            let holder = "holder-\(permission.rawValue)"
            #expect(try await harness.send("USER ADD \(holder) password=Holder-Password-1", on: &admin).hasPrefix("OK"))
            #expect(try await harness.send("GRANT \(holder) warden \(permission.rawValue)", on: &admin).hasPrefix("OK"))
            var session = try await harness.session(as: holder, password: "Holder-Password-1")
            for (name, needed) in guarded where needed == permission {
                let line = try #require(Self.samples[name])
                let reply = try await harness.send(line, on: &session)
                #expect(!reply.hasPrefix("ERR FORBIDDEN"), "\(line) with \(permission.rawValue): \(reply)")
            }
        }
    }
}
