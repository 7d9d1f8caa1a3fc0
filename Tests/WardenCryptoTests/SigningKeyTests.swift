import Testing
@testable import WardenCrypto

/// Ed25519 (RFC 8037 vector) and ES256 signing keys, PEM storage and JWKs.
@Suite struct SigningKeyTests {
    // RFC 8037 Appendix A.1-A.4.
    static let rfcPrivate = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let rfcPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let rfcPublicX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let rfcSigningInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    static let rfcSignature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    @Test func rfc8037Ed25519Vector() throws {
        let key = try SigningKey(ed25519RawPrivateKey: TestBytes.hex(Self.rfcPrivate))
        #expect(key.algorithm == .edDSA)
        #expect(key.verifier.jwk(kid: "k")["x"] == Self.rfcPublicX)
        #expect(Base64URL.decodeStrict(Self.rfcPublicX) == TestBytes.hex(Self.rfcPublic))

        let message = TestBytes.utf8(Self.rfcSigningInput)
        let signature = try key.sign(message)
        #expect(Base64URL.encode(signature) == Self.rfcSignature)
        #expect(Hex.encode(signature) == "860c98d2297f3060a33f42739672d61b53cf3adefed3d3c672f320dc021b411e"
            + "9d59b8628dc351e248b88b29468e0e41855b0fb7d83bb15be902bfccb8cd0a02")

        let verifier = try VerifyingKey(ed25519RawPublicKey: TestBytes.hex(Self.rfcPublic))
        #expect(verifier.verify(signature: signature, message: message))
        #expect(key.verifier.verify(signature: signature, message: message))

        var flippedSignature = signature
        flippedSignature[10] ^= 0x01
        #expect(!verifier.verify(signature: flippedSignature, message: message))
        var flippedMessage = message
        flippedMessage[0] ^= 0x01
        #expect(!verifier.verify(signature: signature, message: flippedMessage))
        #expect(!verifier.verify(signature: signature + [0], message: message))
        #expect(!verifier.verify(signature: Array(signature.dropLast()), message: message))
        #expect(!verifier.verify(signature: [], message: message))
    }

    @Test func rawKeysMustBe32Bytes() {
        for length in [0, 31, 33, 64] {
            let bytes = [UInt8](repeating: 7, count: length)
            #expect(throws: CryptoError.invalidKey) { try SigningKey(ed25519RawPrivateKey: bytes) }
            #expect(throws: CryptoError.invalidKey) { try VerifyingKey(ed25519RawPublicKey: bytes) }
        }
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func signVerifyRoundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        #expect(key.algorithm == algorithm)
        #expect(key.verifier.algorithm == algorithm)
        for message in [[], [0], TestBytes.utf8("hello"), SecureRandom.bytes(5000)] as [[UInt8]] {
            let signature = try key.sign(message)
            #expect(signature.count == 64)
            #expect(key.verifier.verify(signature: signature, message: message))
            #expect(!key.verifier.verify(signature: signature, message: message + [1]))
        }
        let other = try SigningKey.generate(algorithm)
        let signature = try key.sign([1, 2, 3])
        #expect(!other.verifier.verify(signature: signature, message: [1, 2, 3]))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func keysAreUsableFromManyTasksAtOnce(_ algorithm: SigningAlgorithm) async throws {
        let key = try SigningKey.generate(algorithm)
        let verifier = key.verifier
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let message = [UInt8(index)] + SecureRandom.bytes(32)
                    let signature = try key.sign(message)
                    return verifier.verify(signature: signature, message: message)
                        && !verifier.verify(signature: signature, message: message + [0])
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 })
    }

    @Test func es256AcceptsOnlyRawRS() throws {
        let key = try SigningKey.generate(.es256)
        let message = TestBytes.utf8("payload")
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(key.verifier.verify(signature: signature, message: message))

        var tamperedMessage = message
        tamperedMessage[3] ^= 0x20
        #expect(!key.verifier.verify(signature: signature, message: tamperedMessage))
        var tamperedSignature = signature
        tamperedSignature[40] ^= 0x01
        #expect(!key.verifier.verify(signature: tamperedSignature, message: message))
        #expect(!key.verifier.verify(signature: signature + [0], message: message))
        #expect(!key.verifier.verify(signature: [0] + signature, message: message))
        #expect(!key.verifier.verify(signature: Array(signature.prefix(63)), message: message))
        #expect(!key.verifier.verify(signature: [UInt8](repeating: 0, count: 64), message: message))

        let der = Self.derSignature(signature)
        #expect(ECDSASignature.der(fromRaw: signature) == der)  // the helper below is right
        #expect(!key.verifier.verify(signature: der, message: message))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func pemRoundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reloaded = try SigningKey(pkcs8PEM: pem, algorithm: algorithm)
        #expect(reloaded.verifier.jwk(kid: "k") == key.verifier.jwk(kid: "k"))
        let signature = try reloaded.sign([9, 9])
        #expect(key.verifier.verify(signature: signature, message: [9, 9]))
    }

    @Test func pemOfTheWrongTypeIsRefused() throws {
        let ed = try SigningKey.generate(.edDSA).pkcs8PEM()
        let ec = try SigningKey.generate(.es256).pkcs8PEM()
        #expect(throws: CryptoError.invalidKey) { try SigningKey(pkcs8PEM: ed, algorithm: .es256) }
        #expect(throws: CryptoError.invalidKey) { try SigningKey(pkcs8PEM: ec, algorithm: .edDSA) }
        #expect(throws: CryptoError.invalidKey) { try SigningKey(pkcs8PEM: Self.p384PEM, algorithm: .es256) }
        #expect(throws: CryptoError.invalidKey) { try SigningKey(pkcs8PEM: Self.ed448PEM, algorithm: .edDSA) }
    }

    @Test(arguments: [
        "",
        "not a pem",
        "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        encryptedPEM,  // must fail, not prompt for a passphrase
        String(repeating: "A", count: 100_000),
    ])
    func unusablePEMIsRefused(_ pem: String) {
        for algorithm in SigningAlgorithm.allCases {
            #expect(throws: CryptoError.invalidKey) { try SigningKey(pkcs8PEM: pem, algorithm: algorithm) }
        }
    }

    @Test func jwkShapes() throws {
        let ed = try SigningKey.generate(.edDSA).verifier.jwk(kid: "ed-1")
        #expect(Set(ed.keys) == ["kty", "crv", "x", "kid", "alg", "use"])
        #expect(ed["kty"] == "OKP" && ed["crv"] == "Ed25519" && ed["alg"] == "EdDSA")
        #expect(ed["use"] == "sig" && ed["kid"] == "ed-1")
        #expect(Base64URL.decodeStrict(ed["x"] ?? "")?.count == 32)

        let ec = try SigningKey.generate(.es256).verifier.jwk(kid: "ec-1")
        #expect(Set(ec.keys) == ["kty", "crv", "x", "y", "kid", "alg", "use"])
        #expect(ec["kty"] == "EC" && ec["crv"] == "P-256" && ec["alg"] == "ES256")
        #expect(ec["use"] == "sig" && ec["kid"] == "ec-1")
        #expect(Base64URL.decodeStrict(ec["x"] ?? "")?.count == 32)
        #expect(Base64URL.decodeStrict(ec["y"] ?? "")?.count == 32)
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` built independently of the module.
    static func derSignature(_ raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    static let p384PEM = """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDA3jJhLT7qGfzisYZMC
        8SaDdUrC5Dk0SWafDZaWG1WHH2MzK4+SoZVUTDzKWghSv2yhZANiAAT5Z9oKyg03
        Q9ShTulA/OY+dqpgG7yfj17dC/jznQ8rn/1pCm2fVS878QxcAiQlChGwceO6l8fQ
        3Yw2cDyoDLCL6eBoxZd74yPaeRLtM2vnFLVWq2JzuJcowPDRCBoOa6s=
        -----END PRIVATE KEY-----

        """

    static let ed448PEM = """
        -----BEGIN PRIVATE KEY-----
        MEcCAQAwBQYDK2VxBDsEOVZqXLGFUHPPJX6hN2YEIU4hZ2h71S5FbK040W7LUqA5
        DQl9dJhYLZOG4z1gO9f98S6xLope9xPIOw==
        -----END PRIVATE KEY-----

        """

    /// An Ed25519 key encrypted with the passphrase "secret" (test fixture only).
    static let encryptedPEM = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjLzsdkBJkMyAICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEM43TyzU40jbffYSRvyFhAkEQKQx
        K2BjmY1xXC+rPuBltnlconQfmwxXL1Xy9R9dyzOPXRBj1NwoQN32tP8aeyKonWUV
        L7Q06MgEvfU/MhvEN7A=
        -----END ENCRYPTED PRIVATE KEY-----

        """
}
