import Foundation
import Testing

/// PyJWT, run as `python3 interop/verify_jwt.py`: an independent verifier.
enum PyJWT {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("interop/verify_jwt.py")

    /// Whether `python3` can import PyJWT with its crypto extra (scripts/test installs it).
    static let isAvailable: Bool = {
        (try? Python.run(["-c", "import jwt, cryptography"], input: "").status) == 0
    }()

    /// Verifies `token` against a JWK Set the way an offline validator would.
    static func verify(_ token: String, jwks: [[String: Any]], audience: String = "warden", issuer: String = "warden") throws -> Python.Result {
        let request: [String: Any] = ["token": token, "jwks": ["keys": jwks], "audience": audience, "issuer": issuer]
        let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        return try Python.run([script.path], input: input)
    }
}

/// SPEC §2.4: "Any standard JWT library given the JWKS must verify them." Tokens from
/// the running server are checked by PyJWT against the JWKS the server serves.
@Suite(.enabled(if: PyJWT.isAvailable, "PyJWT is not installed for python3: pip install 'pyjwt[crypto]'"))
struct InteropTests {
    @Test(arguments: ["EdDSA", "ES256"])
    func pyJWTVerifiesATokenAgainstTheServedKeySet(algorithm: String) throws {
        let server = try WardenProcess(arguments: ["--token-alg", algorithm])
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD interop-user password=\(Fixture.password)")
        let token = try admin.login("interop-user")
        #expect(try JWT.header(token)["alg"] as? String == algorithm)
        let result = try PyJWT.verify(token, jwks: try jwks(of: server))
        #expect(result.status == 0, "\(result.stderr)")
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(claims["sub"] as? String == "interop-user")
        #expect(claims["jti"] as? String == (try JWT.payload(token)["jti"] as? String))
    }

    @Test func pyJWTVerifiesATokenForAnotherAudience() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD interop-svc kind=service")
        try admin.ok("SYSTEM ADD interop-api")
        let token = try admin.issue("interop-svc", "aud=interop-api ttl=5m")
        let result = try PyJWT.verify(token, jwks: try jwks(of: server), audience: "interop-api")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func pyJWTVerifiesTokensOfTheRetiredAndTheNewKeyAfterRotation() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD interop-rotor kind=service")
        let old = try admin.issue("interop-rotor")
        try admin.ok("KEY ROTATE")
        let new = try admin.issue("interop-rotor")
        let keys = try jwks(of: server)
        #expect(try PyJWT.verify(old, jwks: keys).status == 0)
        #expect(try PyJWT.verify(new, jwks: keys).status == 0)
    }

    @Test(arguments: ["EdDSA", "ES256"])
    func pyJWTRejectsATamperedToken(algorithm: String) throws {
        let server = try WardenProcess(arguments: ["--token-alg", algorithm])
        defer { server.terminate(); server.removeData() }
        let admin = try server.admin()
        try admin.ok("USER ADD interop-user password=\(Fixture.password)")
        let tampered = try JWT.withPayload(try admin.login("interop-user")) { $0["sub"] = "admin" }
        let result = try PyJWT.verify(tampered, jwks: try jwks(of: server))
        #expect(result.status == 1)
        #expect(result.stderr.contains("InvalidSignatureError"))
    }
}
