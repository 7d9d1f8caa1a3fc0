import WardenCore

/// A sequence of changes that uses every case of `Change`, each against rows that
/// exist (both databases enforce their foreign keys), and leaves something of each kind
/// behind to compare: users of both kinds and statuses, systems, roles with
/// entitlements and includes, grants with and without expiry, tokens live, revoked and
/// disabled, keys, API keys, invites.
enum ChangeScript {
    /// Far enough ahead that every token is live whenever the tests run.
    static let time = Timestamp(milliseconds: 4_000_000_000_000)
    static func at(_ seconds: Int64) -> Timestamp { time.adding(seconds: seconds) }

    static func user(_ id: Int64, _ name: String, kind: User.Kind = .person) -> User {
        User(id: id, name: name, displayName: name.capitalized, email: "\(name)@example.com", kind: kind,
             created: at(Int64(id)), passwordHash: "$scrypt$ln=4,r=8,p=1$\(name)")
    }

    static func token(_ jti: String, _ userID: Int64, expires: Timestamp = at(86_400)) -> Change {
        .tokenIssued(IssuedTokenRecord(jti: jti, userID: userID, kid: "k1", audience: "api", issued: at(10), expires: expires))
    }

    static func grant(_ target: GrantTarget, until: Timestamp? = nil, reason: String = "") -> Grant {
        Grant(target: target, until: until, reason: reason, grantedBy: "root", grantedAt: at(20))
    }

    static let payrollRead = Entitlement(system: "payroll", permission: "read")
    static let payrollWrite = Entitlement(system: "payroll", permission: "write")
    static let payrollApprove = Entitlement(system: "payroll", permission: "approve")
    static let githubPush = Entitlement(system: "github", permission: "push")

    static let changes: [Change] = [
        .userAdded(user(1, "alice")),
        .userAdded(user(2, "bob", kind: .service)),
        .userAdded(user(3, "carol")),
        .userAdded(user(4, "dave")),
        .profileChanged(userID: 1, displayName: "Alice Ä. \"Admin\"", email: "a@example.org"),

        .systemAdded(SystemDefinition(name: "payroll", description: "Pay", permissions: ["read", "write"])),
        .systemAdded(SystemDefinition(name: "github")),
        .systemAdded(SystemDefinition(name: "temporary", permissions: ["x"])),
        .systemChanged(SystemDefinition(name: "payroll", description: "Payroll", permissions: ["read", "write", "approve"])),
        .systemDeleted(name: "temporary"),

        .roleAdded(Role(name: "clerk", description: "Clerks")),
        .roleAdded(Role(name: "manager")),
        .roleAdded(Role(name: "auditor")),
        .roleAdded(Role(name: "gone")),
        .roleEntitlementAdded(role: "clerk", payrollRead),
        .roleEntitlementAdded(role: "clerk", payrollWrite),
        .roleEntitlementAdded(role: "clerk", payrollRead),  // again: no second row, no error
        .roleEntitlementRemoved(role: "clerk", payrollWrite),
        .roleEntitlementAdded(role: "manager", payrollApprove),
        .roleEntitlementAdded(role: "gone", githubPush),
        .roleIncluded(role: "manager", included: "clerk"),
        .roleIncluded(role: "manager", included: "auditor"),
        .roleIncluded(role: "manager", included: "gone"),
        .roleIncluded(role: "gone", included: "clerk"),
        .roleExcluded(role: "manager", included: "auditor"),
        .roleDeleted(name: "gone"),  // manager stops including it; its own rows go

        .granted(userID: 1, grant(.role("clerk"))),
        .granted(userID: 1, grant(.entitlement(githubPush), until: at(3_600))),
        .granted(userID: 1, grant(.role("clerk"), until: at(7_200), reason: "renewed")),  // replaces the first
        .granted(userID: 2, grant(.role("manager"))),
        .granted(userID: 2, grant(.entitlement(githubPush))),
        .grantRevoked(userID: 2, .entitlement(githubPush)),
        .granted(userID: 3, grant(.role("auditor"))),
        .granted(userID: 3, grant(.entitlement(payrollRead))),
        .allGrantsRevoked(userID: 3),
        .granted(userID: 4, grant(.role("clerk"))),

        .signingKeyAdded(SigningKeyRecord(
            kid: "k1", algorithm: "EdDSA", publicJWK: #"{"kty":"OKP","crv":"Ed25519","x":"k1"}"#, sealedKey: "sealed-k1",
            created: at(1), lastExpiry: Timestamp(milliseconds: 0))),
        .signingKeyAdded(SigningKeyRecord(
            kid: "k0", algorithm: "ES256", publicJWK: #"{"kty":"EC"}"#, sealedKey: "sealed-k0",
            created: at(0), lastExpiry: Timestamp(milliseconds: 0))),
        .signingKeyRetired(kid: "k0", at: at(30)),
        .signingKeyRetired(kid: "k0", at: at(40)),  // already retired: keeps the first time

        token("a1", 1), token("a2", 1),
        token("b1", 2), token("b2", 2, expires: at(172_800)),
        token("c1", 3),
        token("d1", 4),
        token("old", 3, expires: at(-10)),
        .tokenRevoked(jti: "b2"),
        .passwordReset(userID: 1, phc: "$scrypt$reset", endsSessions: true),  // a1, a2 revoked
        token("a3", 1),
        .disabled(userID: 1),  // a3 disabled
        .enabled(userID: 1),  // a3 revoked for good
        token("c2", 3),
        .disabled(userID: 3),  // c1, c2 disabled and stay so
        .passwordSet(userID: 2, phc: "$scrypt$bob2"),
        .loggedIn(userID: 2, at: at(50), upgradedHash: "$scrypt$bob3"),
        .loggedIn(userID: 1, at: at(60), upgradedHash: nil),
        .loginFailed(userID: 3),
        .loginFailed(userID: 3),
        .loginFailed(userID: 1),
        .tokensPruned(expiredBefore: at(0)),  // "old" goes

        .apiKeyAdded(APIKeyRecord(id: "ak1", userID: 2, keyHash: String(repeating: "1", count: 64), created: at(70))),
        .apiKeyAdded(APIKeyRecord(id: "ak2", userID: 2, keyHash: String(repeating: "2", count: 64), created: at(71))),
        .apiKeyAdded(APIKeyRecord(id: "ak4", userID: 4, keyHash: String(repeating: "4", count: 64), created: at(72))),
        .apiKeyRevoked(id: "ak2", userID: 2),
        .inviteIssued(InviteRecord(userID: 3, codeHash: String(repeating: "a", count: 64), expires: at(80))),
        .inviteIssued(InviteRecord(userID: 3, codeHash: String(repeating: "b", count: 64), expires: at(90))),  // replaces
        .inviteIssued(InviteRecord(userID: 1, codeHash: String(repeating: "c", count: 64), expires: at(80))),
        .inviteIssued(InviteRecord(userID: 4, codeHash: String(repeating: "d", count: 64), expires: at(80))),
        .inviteDeleted(userID: 1),

        // Dave goes with his grant, API key and invite; his token stays, revoked.
        .userDeleted(userID: 4),
    ]
}
