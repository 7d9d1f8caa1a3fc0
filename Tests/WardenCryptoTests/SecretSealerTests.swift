import Testing
@testable import WardenCrypto

/// AES-256-GCM through EVP, and the sealed format on top of it.
@Suite struct SecretSealerTests {
    /// The GCM specification's test case 16 (McGrew & Viega): AES-256, 96-bit IV, with
    /// additional authenticated data.
    @Test func theGCMSpecificationVectorWithAdditionalData() throws {
        let key = TestBytes.hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = TestBytes.hex("cafebabefacedbaddecaf888")
        let plaintext = TestBytes.hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = TestBytes.hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let (ciphertext, tag) = try SecretSealer.encrypt(key: key, nonce: nonce, aad: aad, plaintext: plaintext)
        #expect(ciphertext == TestBytes.hex(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"))
        #expect(tag == TestBytes.hex("76fc6ece0f4e1768cddf8853bb2d551b"))
        #expect(try SecretSealer.decrypt(key: key, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag) == plaintext)
    }

    @Test func aSealedSecretOpensInItsContextOnly() throws {
        let sealer = SecretSealer(masterKey: MasterKey.generate())
        let secret = Array("-----BEGIN PRIVATE KEY-----".utf8)
        let sealed = try sealer.seal(secret, context: "signing-key:a")
        #expect(try sealer.open(sealed, context: "signing-key:a") == secret)
        #expect(throws: CryptoError.sealBroken) { try sealer.open(sealed, context: "signing-key:b") }
        let inClear = (0...(sealed.count - secret.count)).contains { Array(sealed[$0..<($0 + secret.count)]) == secret }
        #expect(!inClear)
    }

    @Test func everyAlteredByteAndAnotherMasterKeyAreRefused() throws {
        let sealer = SecretSealer(masterKey: MasterKey.generate())
        let sealed = try sealer.seal(Array("secret".utf8), context: "c")
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            #expect(throws: CryptoError.sealBroken) { try sealer.open(altered, context: "c") }
        }
        #expect(throws: CryptoError.sealBroken) { try sealer.open(Array(sealed.dropLast()), context: "c") }
        #expect(throws: CryptoError.sealBroken) { try SecretSealer(masterKey: MasterKey.generate()).open(sealed, context: "c") }
    }

    @Test func twoSealsOfOneSecretDiffer() throws {
        let sealer = SecretSealer(masterKey: MasterKey.generate())
        #expect(try sealer.seal([1, 2, 3], context: "c") != sealer.seal([1, 2, 3], context: "c"))
        #expect(try sealer.open(sealer.seal([], context: "c"), context: "c") == [])
    }
}
