import WardenCore
import WardenProtocol

/// `HELP [command]`: the command catalog, one data line a command.
extension WardenService {
    struct CommandHelp: Sendable {
        var name: String
        var usage: String
        var permission: String
        var summary: String
    }

    static let catalog: [CommandHelp] = [
        .init(name: "HELLO", usage: "HELLO", permission: "none", summary: "server name, version, protocol and who you are"),
        .init(name: "PING", usage: "PING", permission: "none", summary: "answers OK PONG"),
        .init(name: "AUTH", usage: "AUTH user password-or-apikey | AUTH TOKEN token", permission: "none", summary: "authenticate this connection"),
        .init(name: "LOGIN", usage: "LOGIN user password [aud=system] [ttl=DURATION]", permission: "none", summary: "get a signed token"),
        .init(name: "ACTIVATE", usage: "ACTIVATE user code password", permission: "none", summary: "set a first password with an invite code"),
        .init(name: "HELP", usage: "HELP [command]", permission: "none", summary: "this list"),
        .init(name: "QUIT", usage: "QUIT", permission: "none", summary: "close the connection"),
        .init(name: "PASSWD", usage: "PASSWD current new", permission: "authenticated", summary: "change your own password"),
        .init(name: "USER ADD", usage: "USER ADD user [name=\"..\"] [email=..] [kind=person|service] [password=..]", permission: "user-admin", summary: "create a user"),
        .init(name: "USER SET", usage: "USER SET user [name=\"..\"] [email=..]", permission: "user-admin", summary: "change a user's attributes"),
        .init(name: "USER PASSWD", usage: "USER PASSWD user password", permission: "user-admin", summary: "set a user's password"),
        .init(name: "USER SHOW", usage: "USER SHOW user", permission: "user-admin", summary: "a user's attributes"),
        .init(name: "USER LIST", usage: "USER LIST [prefix=..] [status=active|disabled] [limit=N]", permission: "user-admin", summary: "users by name (default limit 1000)"),
        .init(name: "USER DISABLE", usage: "USER DISABLE user [reason=\"..\"]", permission: "user-admin", summary: "offboard: deny everything, kill every token"),
        .init(name: "USER ENABLE", usage: "USER ENABLE user", permission: "user-admin", summary: "undo DISABLE (old tokens stay revoked)"),
        .init(name: "USER DELETE", usage: "USER DELETE user", permission: "user-admin", summary: "remove a user and their grants"),
        .init(name: "USER INVITE", usage: "USER INVITE user [ttl=DURATION]", permission: "user-admin", summary: "one-time activation code (default 72h)"),
        .init(name: "SYSTEM ADD", usage: "SYSTEM ADD system [description=\"..\"] [permissions=p1,p2]", permission: "role-admin", summary: "register a system"),
        .init(name: "SYSTEM SET", usage: "SYSTEM SET system [description=\"..\"] [permissions=p1,p2]", permission: "role-admin", summary: "change a system"),
        .init(name: "SYSTEM SHOW", usage: "SYSTEM SHOW system", permission: "role-admin", summary: "a system"),
        .init(name: "SYSTEM LIST", usage: "SYSTEM LIST", permission: "role-admin", summary: "all systems"),
        .init(name: "SYSTEM DELETE", usage: "SYSTEM DELETE system", permission: "role-admin", summary: "delete an unused system"),
        .init(name: "ROLE ADD", usage: "ROLE ADD role [description=\"..\"]", permission: "role-admin", summary: "create a role"),
        .init(name: "ROLE SHOW", usage: "ROLE SHOW role", permission: "role-admin", summary: "a role"),
        .init(name: "ROLE LIST", usage: "ROLE LIST", permission: "role-admin", summary: "all roles"),
        .init(name: "ROLE DELETE", usage: "ROLE DELETE role", permission: "role-admin", summary: "delete a role nobody holds or includes"),
        .init(name: "ROLE GRANT", usage: "ROLE GRANT role system permission", permission: "role-admin", summary: "add an entitlement to a role"),
        .init(name: "ROLE REVOKE", usage: "ROLE REVOKE role system permission", permission: "role-admin", summary: "remove an entitlement from a role"),
        .init(name: "ROLE INCLUDE", usage: "ROLE INCLUDE role other-role", permission: "role-admin", summary: "a role carries another's entitlements"),
        .init(name: "ROLE EXCLUDE", usage: "ROLE EXCLUDE role other-role", permission: "role-admin", summary: "undo INCLUDE"),
        .init(name: "GRANT", usage: "GRANT user role|system permission [until=TIME|for=DURATION] [reason=\"..\"]", permission: "grant", summary: "give a role or an entitlement"),
        .init(name: "REVOKE", usage: "REVOKE user role | REVOKE user system permission | REVOKE user *", permission: "grant", summary: "take a grant away"),
        .init(name: "CHECK", usage: "CHECK user system permission", permission: "check", summary: "ALLOW via=.. or DENY reason=.."),
        .init(name: "ACCESS", usage: "ACCESS user", permission: "check", summary: "a user's effective entitlements"),
        .init(name: "WHO", usage: "WHO system [permission]", permission: "check", summary: "who has access now"),
        .init(name: "TOKEN ISSUE", usage: "TOKEN ISSUE user [aud=system] [ttl=DURATION]", permission: "token-issue", summary: "issue a token for a user"),
        .init(name: "TOKEN REVOKE", usage: "TOKEN REVOKE token-or-jti", permission: "token-issue", summary: "revoke one token"),
        .init(name: "VALIDATE", usage: "VALIDATE token [system permission]", permission: "introspect", summary: "OK VALID .. or OK INVALID reason=.."),
        .init(name: "KEY ROTATE", usage: "KEY ROTATE", permission: "key-admin", summary: "sign new tokens with a new key"),
        .init(name: "KEY LIST", usage: "KEY LIST", permission: "key-admin", summary: "published signing keys"),
        .init(name: "APIKEY CREATE", usage: "APIKEY CREATE service-user", permission: "token-issue", summary: "a new API key, shown once"),
        .init(name: "APIKEY LIST", usage: "APIKEY LIST service-user", permission: "token-issue", summary: "a service user's API keys"),
        .init(name: "APIKEY REVOKE", usage: "APIKEY REVOKE service-user id", permission: "token-issue", summary: "revoke an API key"),
        .init(name: "AUDIT", usage: "AUDIT [since=SEQ|TIME] [actor=user] [target=user] [limit=N]", permission: "audit", summary: "audit entries, oldest first"),
        .init(name: "AUDIT VERIFY", usage: "AUDIT VERIFY", permission: "audit", summary: "check the audit hash chain"),
    ]

    func help(_ words: [Word]) throws(WardenError) -> Outcome {
        let topic = words.map(\.text).joined(separator: " ").uppercased()
        let entries = topic.isEmpty ? WardenService.catalog : WardenService.catalog.filter { $0.name == topic || $0.name.hasPrefix(topic + " ") }
        guard !entries.isEmpty else { throw WardenError(.notFound, "no command \(topic); try HELP") }
        return .reply(.list(entries.map { entry in
            [.pair("command", entry.name), .pair("usage", entry.usage), .pair("permission", entry.permission), .pair("summary", entry.summary)]
        }))
    }
}
