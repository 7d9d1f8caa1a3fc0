import Testing
import WardenCore
import WardenStore

/// The change feed's text form: every case of `Change` comes back as it went in.
@Suite struct ChangeCodecTests {
    static let time = Timestamp(milliseconds: 1_790_000_000_123)

    /// One value of every case (`caseNumber` fails to compile until a new case has a
    /// number, and `everyCaseHasASample` fails until it has a sample here).
    static let samples: [Change] = [
        .userAdded(User(
            id: 7, name: "alice", displayName: "Alice Ä", email: "alice@example.com", kind: .service, status: .disabled,
            created: time, lastLogin: time.adding(seconds: 5), failedLogins: 2, passwordHash: "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA")),
        .userAdded(User(id: 8, name: "bob", created: time)),
        .userAdded(User(id: 9, name: "carol", created: time, externalID: "00u9", modified: time.adding(seconds: 1))),
        .profileChanged(userID: 7, displayName: "A \"quoted\"\nname", email: ""),
        .passwordReset(userID: 7, phc: "$scrypt$x", endsSessions: false),
        .passwordSet(userID: 7, phc: "$scrypt$y"),
        .disabled(userID: 7),
        .enabled(userID: 7),
        .userDeleted(userID: 8),
        .loggedIn(userID: 7, at: time, upgradedHash: "$scrypt$z"),
        .loggedIn(userID: 7, at: time, upgradedHash: nil),
        .loginFailed(userID: 7),
        .externalIDChanged(userID: 7, externalID: "00u1abcd"),
        .externalIDChanged(userID: 7, externalID: nil),
        .userModified(userID: 7, at: time),
        .roleExternalIDChanged(role: "sales", externalID: "8aa1a0c0"),
        .roleExternalIDChanged(role: "sales", externalID: nil),
        .systemAdded(SystemDefinition(name: "payroll", description: "Pay", permissions: ["read", "write"])),
        .systemChanged(SystemDefinition(name: "payroll", description: "", permissions: [])),
        .systemDeleted(name: "payroll"),
        .roleAdded(Role(
            name: "clerk", description: "Clerks", entitlements: [Entitlement(system: "payroll", permission: "read")],
            includes: ["reader"])),
        .roleDeleted(name: "clerk"),
        .roleEntitlementAdded(role: "clerk", Entitlement(system: "payroll", permission: "write")),
        .roleEntitlementRemoved(role: "clerk", Entitlement(system: "payroll", permission: "write")),
        .roleIncluded(role: "manager", included: "clerk"),
        .roleExcluded(role: "manager", included: "clerk"),
        .granted(userID: 7, Grant(target: .role("clerk"), until: time, reason: "on call", grantedBy: "root", grantedAt: time)),
        .granted(userID: 7, Grant(target: .entitlement(Entitlement(system: "github", permission: "push")), grantedBy: "root", grantedAt: time)),
        .grantRevoked(userID: 7, .role("clerk")),
        .grantRevoked(userID: 7, .entitlement(Entitlement(system: "github", permission: "push"))),
        .allGrantsRevoked(userID: 7),
        .tokenIssued(IssuedTokenRecord(jti: "j1", userID: 7, kid: "k1", audience: "api", issued: time, expires: time.adding(seconds: 60))),
        .tokenIssued(IssuedTokenRecord(
            jti: "j2", userID: 7, kid: "k1", audience: "api", issued: time, expires: time, revocation: .disabled)),
        .tokenRevoked(jti: "j1"),
        .tokensPruned(expiredBefore: time),
        .signingKeyAdded(SigningKeyRecord(
            kid: "k1", algorithm: "EdDSA", publicJWK: #"{"kty":"OKP","crv":"Ed25519","x":"abc"}"#, sealedKey: "AQID",
            created: time, retired: time, lastExpiry: time)),
        .signingKeyAdded(SigningKeyRecord(kid: "k0", algorithm: "ES256", publicJWK: "{}", sealedKey: nil, created: time, lastExpiry: Timestamp(milliseconds: 0))),
        .signingKeyRetired(kid: "k1", at: time),
        .apiKeyAdded(APIKeyRecord(id: "ak1", userID: 7, keyHash: String(repeating: "ab", count: 32), created: time)),
        .apiKeyRevoked(id: "ak1", userID: 7),
        .inviteIssued(InviteRecord(userID: 7, codeHash: String(repeating: "cd", count: 32), expires: time)),
        .inviteDeleted(userID: 7),
        .mfaEnrolled(MFARecord(userID: 7, sealedSecret: "AQIDBA", enrolled: time)),
        .mfaEnrolled(MFARecord(userID: 7, sealedSecret: "AQIDBA", enrolled: time, confirmed: time, usedSteps: [1, 2], recoveryCodes: ["sha256$a$b"])),
        .mfaConfirmed(userID: 7, at: time, usedSteps: [59_666_666], recoveryCodes: ["sha256$c2FsdA$aGFzaA", "sha256$x$y"]),
        .mfaCodeAccepted(userID: 7, usedSteps: [59_666_665, 59_666_667]),
        .mfaRecoveryCodeUsed(userID: 7, remaining: []),
        .mfaRemoved(userID: 7),
        .roleSettingsChanged(role: "clerk", description: "Clerks", RequestSettings(requestable: true, approvers: "leads", approvals: 2, maximum: 7200)),
        .roleSettingsChanged(role: "clerk", description: "", RequestSettings()),
        .requestMade(AccessRequest(id: 1, userID: 7, role: "clerk", duration: 3600, reason: "Q4 \"close\"", created: time)),
        .requestChanged(AccessRequest(
            id: 1, userID: 7, role: "clerk", duration: 3600, reason: "r", status: .approved, created: time, approvedBy: ["ann", "bo"],
            decided: time, until: time.adding(seconds: 3600))),
        .requestChanged(AccessRequest(id: 2, userID: 7, role: "clerk", duration: 60, reason: "r", status: .denied, created: time, deniedBy: "ann")),
        .separationRuleAdded(SeparationRule(
            name: "pay", left: .role("clerk"), right: .entitlement(Entitlement(system: "payroll", permission: "approve")), description: "4 eyes")),
        .separationRuleDeleted(name: "pay"),
        .reviewStarted(AccessReview(
            id: 3, scope: .system("payroll"), reviewerID: 9, reviewer: "carol", due: time.adding(seconds: 86_400),
            defaultVerdict: .revoke, createdBy: "root", created: time, items: [
                AccessReviewItem(number: 1, userID: 7, user: "alice", target: .role("clerk"), until: time),
                AccessReviewItem(number: 2, userID: 8, user: "bob", target: .entitlement(Entitlement(system: "payroll", permission: "read")),
                                 until: nil, decision: .keep, decidedBy: "carol", decided: time, reason: "needs it \"still\""),
            ])),
        .reviewStarted(AccessReview(id: 4, scope: .role("clerk"), reviewerID: 9, reviewer: "carol", due: time, defaultVerdict: .keep,
                                    createdBy: "root", created: time, closed: time, kept: 1, revoked: 2, items: [])),
        .reviewItemDecided(review: 3, item: 1, decision: .revoke, by: "carol", reason: "left the team", at: time),
        .reviewClosed(review: 3, at: time, kept: 1, revoked: 1),
        .webSessionStarted(WebSession(digest: String(repeating: "ef", count: 32), userID: 7, started: time)),
        .webSessionEnded(digest: String(repeating: "ef", count: 32)),
    ]

    /// A number per case; exhaustive, without `default`, on purpose.
    static func caseNumber(_ change: Change) -> Int {
        switch change {
        case .userAdded: 0
        case .profileChanged: 1
        case .passwordReset: 2
        case .passwordSet: 3
        case .disabled: 4
        case .enabled: 5
        case .userDeleted: 6
        case .loggedIn: 7
        case .loginFailed: 8
        case .systemAdded: 9
        case .systemChanged: 10
        case .systemDeleted: 11
        case .roleAdded: 12
        case .roleDeleted: 13
        case .roleEntitlementAdded: 14
        case .roleEntitlementRemoved: 15
        case .roleIncluded: 16
        case .roleExcluded: 17
        case .granted: 18
        case .grantRevoked: 19
        case .allGrantsRevoked: 20
        case .tokenIssued: 21
        case .tokenRevoked: 22
        case .tokensPruned: 23
        case .signingKeyAdded: 24
        case .signingKeyRetired: 25
        case .apiKeyAdded: 26
        case .apiKeyRevoked: 27
        case .inviteIssued: 28
        case .inviteDeleted: 29
        case .mfaEnrolled: 30
        case .mfaConfirmed: 31
        case .mfaCodeAccepted: 32
        case .mfaRecoveryCodeUsed: 33
        case .mfaRemoved: 34
        case .roleSettingsChanged: 35
        case .requestMade: 36
        case .requestChanged: 37
        case .separationRuleAdded: 38
        case .separationRuleDeleted: 39
        case .reviewStarted: 40
        case .reviewItemDecided: 41
        case .reviewClosed: 42
        case .webSessionStarted: 43
        case .webSessionEnded: 44
        case .externalIDChanged: 45
        case .userModified: 46
        case .roleExternalIDChanged: 47
        }
    }
    static let caseCount = 48

    @Test func everyCaseHasASample() {
        #expect(Set(Self.samples.map(Self.caseNumber)) == Set(0..<Self.caseCount))
    }

    @Test func everyChangeComesBackAsItWentIn() throws {
        #expect(try ChangeCodec.decode(ChangeCodec.encode(Self.samples)) == Self.samples)
    }

    @Test(arguments: samples) func eachChangeAloneComesBack(_ change: Change) throws {
        let text = ChangeCodec.encode([change])
        #expect(!text.contains("\n"), "one line of compact JSON")
        #expect(try ChangeCodec.decode(text) == [change])
    }

    @Test func noChangesIsTheEmptyString() throws {
        #expect(ChangeCodec.encode([]) == "")
        #expect(try ChangeCodec.decode("") == [])
    }

    @Test func aTimestampIsItsMilliseconds() {
        #expect(ChangeCodec.encode([.tokensPruned(expiredBefore: Timestamp(milliseconds: 1234))]).contains("1234"))
        #expect(!ChangeCodec.encode([.tokensPruned(expiredBefore: Timestamp(milliseconds: 1234))]).contains("milliseconds"))
    }

    /// It counts this node's disables: another node's count would end sessions here
    /// that never saw a disable.
    @Test func theSessionGenerationStaysOnItsNode() throws {
        var user = User(id: 1, name: "alice", created: Self.time)
        user.sessionGeneration = 3
        let text = ChangeCodec.encode([.userAdded(user)])
        #expect(!text.contains("sessionGeneration"))
        guard case .userAdded(let decoded) = try ChangeCodec.decode(text).first else {
            Issue.record("not a userAdded")
            return
        }
        user.sessionGeneration = 0
        #expect(decoded == user)
    }

    @Test(arguments: [
        "not json",
        "{}",
        #"[{"noSuchChange":{"userID":1}}]"#,
        #"[{"disabled":{"userID":"one"}}]"#,
        #"[{"disabled":{}}]"#,
    ])
    func textThatIsNotAListOfChangesIsRefused(_ text: String) {
        #expect(throws: ChangeCodecError.self) { try ChangeCodec.decode(text) }
    }

    /// The error says where, never what: a value may be a password hash.
    @Test func anErrorNamesThePlaceNotTheValue() {
        do {
            _ = try ChangeCodec.decode(#"[{"passwordSet":{"userID":1,"phc":42}}, {"userAdded":{"_0":{"kind":"$scrypt$secret"}}}]"#)
            Issue.record("decoded")
        } catch {
            #expect(error.path.hasPrefix("[0].passwordSet"), "\(error.path)")
            #expect(!error.description.contains("42"))
        }
        do {
            _ = try ChangeCodec.decode(#"[{"userAdded":{"_0":{"id":1,"name":"a","displayName":"","email":"","kind":"$scrypt$secret","status":"active","created":1,"failedLogins":0}}}]"#)
            Issue.record("decoded")
        } catch {
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }
}
