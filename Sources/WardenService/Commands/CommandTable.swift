import WardenCore
import WardenProtocol

/// One row a command of the line protocol (SPEC §2): the one list that dispatch, `HELP`,
/// the pre-`AUTH` gate, the metrics labels and the `ERR SYNTAX` usage strings read, so a
/// command cannot be added to one and forgotten in another.
struct Command: Sendable {
    /// Who may send the command, as `HELP` shows it. `anyone` and `credential` commands
    /// are the ones accepted before `AUTH`; a `warden(…)` command checks (and audits) the
    /// permission itself, at the point SPEC §2.6 puts the check, so this column describes
    /// that check rather than performing it (a test holds the two together).
    enum Access: Sendable, Equatable {
        case anyone
        /// Accepted before `AUTH` and presents a credential: audited and throttled.
        case credential
        case authenticated
        case warden(BuiltIn.Permission)
    }

    /// The use case, as an unapplied method (`WardenService.addUser`).
    typealias Run = @Sendable (WardenService) -> @Sendable (CommandContext, [Word]) throws(WardenError) -> Outcome

    var name: String
    var usage: String
    var access: Access
    var summary: String
    var run: Run

    var acceptedBeforeAuth: Bool { access == .anyone || access == .credential }

    /// `HELP`'s `permission=` column.
    var permissionLabel: String {
        switch access {
        case .anyone, .credential: "none"
        case .authenticated: "authenticated"
        case .warden(let permission): permission.rawValue
        }
    }
}

extension WardenService {
    static let commands: [Command] = [
        Command(name: "HELLO", usage: "HELLO", access: .anyone,
                summary: "server name, version, protocol and who you are", run: WardenService.hello),
        Command(name: "PING", usage: "PING", access: .anyone, summary: "answers OK PONG", run: WardenService.ping),
        Command(name: "AUTH", usage: "AUTH user password-or-apikey [otp=CODE] | AUTH TOKEN token", access: .credential,
                summary: "authenticate this connection", run: WardenService.authenticate),
        Command(name: "LOGIN", usage: "LOGIN user password [aud=system] [ttl=DURATION] [otp=CODE]", access: .credential,
                summary: "get a signed token", run: WardenService.login),
        Command(name: "ACTIVATE", usage: "ACTIVATE user code password", access: .credential,
                summary: "set a first password with an invite code", run: WardenService.activate),
        Command(name: "HELP", usage: "HELP [command]", access: .anyone, summary: "this list", run: WardenService.help),
        Command(name: "QUIT", usage: "QUIT", access: .anyone, summary: "close the connection", run: WardenService.quit),
        Command(name: "PASSWD", usage: "PASSWD current-password new-password", access: .authenticated,
                summary: "change your own password", run: WardenService.changeOwnPassword),
        Command(name: "SYNC", usage: "SYNC", access: .authenticated,
                summary: "wait until this node has every change committed before it", run: WardenService.sync),
        Command(name: "REQUEST", usage: "REQUEST role [for=DURATION] reason=\"..\"", access: .authenticated,
                summary: "ask for a requestable role for yourself", run: WardenService.requestRole),
        Command(name: "REQUEST LIST", usage: "REQUEST LIST [status=pending|approved|denied|cancelled|expired] [user=..]",
                access: .authenticated, summary: "your requests and those you may decide", run: WardenService.listRequests),
        Command(name: "REQUEST SHOW", usage: "REQUEST SHOW N", access: .authenticated,
                summary: "one request", run: WardenService.showRequest),
        Command(name: "REQUEST APPROVE", usage: "REQUEST APPROVE N [reason=\"..\"]", access: .authenticated,
                summary: "approve a request (its role's approvers)", run: WardenService.approveRequest),
        Command(name: "REQUEST DENY", usage: "REQUEST DENY N reason=\"..\"", access: .authenticated,
                summary: "deny a request (its role's approvers)", run: WardenService.denyRequest),
        Command(name: "REQUEST CANCEL", usage: "REQUEST CANCEL N", access: .authenticated,
                summary: "cancel your own pending request", run: WardenService.cancelRequest),
        Command(name: "MFA ENROLL", usage: "MFA ENROLL", access: .authenticated,
                summary: "start TOTP enrolment: the secret and its otpauth URI, shown once", run: WardenService.enrollMFA),
        Command(name: "MFA CONFIRM", usage: "MFA CONFIRM code", access: .authenticated,
                summary: "turn MFA on with a current code; ten recovery codes, shown once", run: WardenService.confirmMFA),
        Command(name: "MFA DISABLE", usage: "MFA DISABLE code-or-recovery-code", access: .authenticated,
                summary: "turn your own MFA off", run: WardenService.disableMFA),
        Command(name: "MFA STATUS", usage: "MFA STATUS", access: .authenticated,
                summary: "mfa=on|off|pending and recovery codes left", run: WardenService.mfaStatus),

        Command(name: "USER ADD", usage: "USER ADD user [name=\"..\"] [email=..] [kind=person|service] [password=..] [external-id=..]",
                access: .warden(.userAdmin), summary: "create a user", run: WardenService.addUser),
        Command(name: "USER SET", usage: "USER SET user [name=\"..\"] [email=..] [external-id=..]", access: .warden(.userAdmin),
                summary: "change a user's attributes", run: WardenService.setUser),
        Command(name: "USER PASSWD", usage: "USER PASSWD user password", access: .warden(.userAdmin),
                summary: "set a user's password; ends their sessions and tokens", run: WardenService.setPassword),
        Command(name: "USER SHOW", usage: "USER SHOW user", access: .warden(.userAdmin),
                summary: "a user's attributes", run: WardenService.showUser),
        Command(name: "USER LIST", usage: "USER LIST [prefix=..] [status=active|disabled] [limit=N]", access: .warden(.userAdmin),
                summary: "users by name (default limit 1000)", run: WardenService.listUsers),
        Command(name: "USER DISABLE", usage: "USER DISABLE user [reason=\"..\"]", access: .warden(.userAdmin),
                summary: "offboard: deny everything, kill every token", run: WardenService.disableUser),
        Command(name: "USER ENABLE", usage: "USER ENABLE user", access: .warden(.userAdmin),
                summary: "undo DISABLE (old tokens stay revoked)", run: WardenService.enableUser),
        Command(name: "USER DELETE", usage: "USER DELETE user", access: .warden(.userAdmin),
                summary: "remove a user and their grants", run: WardenService.deleteUser),
        Command(name: "USER INVITE", usage: "USER INVITE user [ttl=DURATION]", access: .warden(.userAdmin),
                summary: "one-time activation code (default 72h)", run: WardenService.inviteUser),
        Command(name: "USER MFA-RESET", usage: "USER MFA-RESET user", access: .warden(.userAdmin),
                summary: "remove a user's MFA so that they enrol again", run: WardenService.resetMFA),

        Command(name: "SYSTEM ADD", usage: "SYSTEM ADD system [description=\"..\"] [permissions=p1,p2,..]", access: .warden(.roleAdmin),
                summary: "register a system", run: WardenService.addSystem),
        Command(name: "SYSTEM SET", usage: "SYSTEM SET system [description=\"..\"] [permissions=p1,p2,..]", access: .warden(.roleAdmin),
                summary: "change a system", run: WardenService.setSystem),
        Command(name: "SYSTEM SHOW", usage: "SYSTEM SHOW system", access: .warden(.roleAdmin),
                summary: "a system", run: WardenService.showSystem),
        Command(name: "SYSTEM LIST", usage: "SYSTEM LIST", access: .warden(.roleAdmin),
                summary: "all systems", run: WardenService.listSystems),
        Command(name: "SYSTEM DELETE", usage: "SYSTEM DELETE system", access: .warden(.roleAdmin),
                summary: "delete an unused system", run: WardenService.deleteSystem),

        Command(name: "ROLE ADD", usage: "ROLE ADD role [description=\"..\"] [external-id=..]", access: .warden(.roleAdmin),
                summary: "create a role", run: WardenService.addRole),
        Command(name: "ROLE SHOW", usage: "ROLE SHOW role", access: .warden(.roleAdmin),
                summary: "a role", run: WardenService.showRole),
        Command(name: "ROLE LIST", usage: "ROLE LIST", access: .warden(.roleAdmin),
                summary: "all roles", run: WardenService.listRoles),
        Command(name: "ROLE DELETE", usage: "ROLE DELETE role", access: .warden(.roleAdmin),
                summary: "delete a role nobody holds or includes", run: WardenService.deleteRole),
        Command(name: "ROLE GRANT", usage: "ROLE GRANT role system permission", access: .warden(.roleAdmin),
                summary: "add an entitlement to a role", run: WardenService.addRoleEntitlement),
        Command(name: "ROLE REVOKE", usage: "ROLE REVOKE role system permission", access: .warden(.roleAdmin),
                summary: "remove an entitlement from a role", run: WardenService.removeRoleEntitlement),
        Command(name: "ROLE INCLUDE", usage: "ROLE INCLUDE role other-role", access: .warden(.roleAdmin),
                summary: "a role carries another's entitlements", run: WardenService.includeRole),
        Command(name: "ROLE EXCLUDE", usage: "ROLE EXCLUDE role other-role", access: .warden(.roleAdmin),
                summary: "undo INCLUDE", run: WardenService.excludeRole),

        Command(name: "ROLE SET", usage: "ROLE SET role [description=\"..\"] [requestable=yes|no] [approvers=ROLE|none] [approvals=N] [max=DURATION] [external-id=..]",
                access: .warden(.roleAdmin), summary: "a role's description and request settings", run: WardenService.setRole),

        Command(name: "SOD ADD", usage: "SOD ADD name role:NAME|system:SYSTEM:PERMISSION role:NAME|system:SYSTEM:PERMISSION [description=\"..\"]",
                access: .warden(.roleAdmin), summary: "no enabled user may hold both sides", run: WardenService.addSeparationRule),
        Command(name: "SOD LIST", usage: "SOD LIST", access: .warden(.roleAdmin),
                summary: "separation-of-duties rules", run: WardenService.listSeparationRules),
        Command(name: "SOD SHOW", usage: "SOD SHOW name", access: .warden(.roleAdmin),
                summary: "one rule", run: WardenService.showSeparationRule),
        Command(name: "SOD DELETE", usage: "SOD DELETE name", access: .warden(.roleAdmin),
                summary: "delete a rule", run: WardenService.deleteSeparationRule),
        Command(name: "SOD REPORT", usage: "SOD REPORT", access: .warden(.roleAdmin),
                summary: "enabled users who hold both sides of a rule now", run: WardenService.separationReport),

        Command(name: "GRANT", usage: "GRANT user role|system permission [until=TIME|for=DURATION] [reason=\"..\"]", access: .warden(.grant),
                summary: "give a role or an entitlement", run: WardenService.grant),
        Command(name: "REVOKE", usage: "REVOKE user role | REVOKE user system permission | REVOKE user *", access: .warden(.grant),
                summary: "take a grant away", run: WardenService.revoke),
        Command(name: "CHECK", usage: "CHECK user system permission", access: .warden(.check),
                summary: "ALLOW via=.. or DENY reason=..", run: WardenService.check),
        Command(name: "ACCESS", usage: "ACCESS user", access: .warden(.check),
                summary: "a user's effective entitlements", run: WardenService.access),
        Command(name: "WHO", usage: "WHO system [permission]", access: .warden(.check),
                summary: "who has access now", run: WardenService.who),

        Command(name: "TOKEN ISSUE", usage: "TOKEN ISSUE user [aud=system] [ttl=DURATION]", access: .warden(.tokenIssue),
                summary: "issue a token for a user", run: WardenService.issueToken),
        Command(name: "TOKEN REVOKE", usage: "TOKEN REVOKE token-or-jti", access: .warden(.tokenIssue),
                summary: "revoke one token", run: WardenService.revokeToken),
        Command(name: "VALIDATE", usage: "VALIDATE token [system permission]", access: .warden(.introspect),
                summary: "OK VALID .. or OK INVALID reason=..", run: WardenService.validate),
        Command(name: "KEY ROTATE", usage: "KEY ROTATE", access: .warden(.keyAdmin),
                summary: "sign new tokens with a new key", run: WardenService.rotateKey),
        Command(name: "KEY LIST", usage: "KEY LIST", access: .warden(.keyAdmin),
                summary: "published signing keys", run: WardenService.listKeys),
        Command(name: "APIKEY CREATE", usage: "APIKEY CREATE service-user", access: .warden(.tokenIssue),
                summary: "a new API key, shown once", run: WardenService.createAPIKey),
        Command(name: "APIKEY LIST", usage: "APIKEY LIST service-user", access: .warden(.tokenIssue),
                summary: "a service user's API keys", run: WardenService.listAPIKeys),
        Command(name: "APIKEY REVOKE", usage: "APIKEY REVOKE service-user id", access: .warden(.tokenIssue),
                summary: "revoke an API key", run: WardenService.revokeAPIKey),

        Command(name: "AUDIT", usage: "AUDIT [since=SEQ|TIME] [actor=user] [target=user] [limit=N]", access: .warden(.audit),
                summary: "audit entries, oldest first", run: WardenService.audit),
        Command(name: "AUDIT VERIFY", usage: "AUDIT VERIFY", access: .warden(.audit),
                summary: "check the audit hash chain", run: WardenService.verifyAudit),
    ] + reviewCommands

    /// `commands` by name, for dispatch.
    static let commandsByName: [String: Command] = Dictionary(uniqueKeysWithValues: commands.map { ($0.name, $0) })

    func ping(_ context: CommandContext, _ words: [Word]) -> Outcome { .reply(.ok("PONG")) }
    func quit(_ context: CommandContext, _ words: [Word]) -> Outcome { .now(.ok("bye"), .close) }
    func addRoleEntitlement(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        try changeRoleEntitlement(context, words, adding: true)
    }
    func removeRoleEntitlement(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        try changeRoleEntitlement(context, words, adding: false)
    }
    func includeRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        try changeRoleInclusion(context, words, including: true)
    }
    func excludeRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        try changeRoleInclusion(context, words, including: false)
    }

    /// Whether `request` presents a credential (so the framing layer counts it as
    /// progress toward authentication, and it is audited and throttled).
    public static func presentsCredential(_ request: Request) -> Bool {
        commandsByName[request.command]?.access == .credential
    }
}
