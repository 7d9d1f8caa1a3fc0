import Testing
@testable import WardenCrypto

/// ECDSA is malleable: (R, n − S) verifies wherever (R, S) does. Warden signs only
/// low-S signatures and refuses the high-S twin, so a token has one valid encoding.
@Suite struct ES256MalleabilityTests {
    @Test func everySignatureIsLowS() throws {
        let key = try SigningKey.generate(.es256)
        for index in 0..<64 {
            let signature = try key.sign(TestBytes.utf8("message \(index)"))
            #expect(ECDSASignature.hasLowS(signature))
            #expect(key.verifier.verify(signature: signature, message: TestBytes.utf8("message \(index)")))
        }
    }

    @Test func theHighSTwinOfAValidSignatureIsRefused() throws {
        let key = try SigningKey.generate(.es256)
        let message = TestBytes.utf8("header.payload")
        let signature = try key.sign(message)
        let twin = try #require(ECDSASignature.complement(signature))
        #expect(twin != signature)
        #expect(!ECDSASignature.hasLowS(twin))
        // The twin is the same signature's other encoding: normalising gives it back.
        #expect(ECDSASignature.lowS(twin) == signature)
        #expect(!key.verifier.verify(signature: twin, message: message))
    }

    @Test func theBoundaryIsHalfTheOrder() throws {
        let r = [UInt8](repeating: 1, count: 32)
        #expect(ECDSASignature.hasLowS(r + ECDSASignature.halfOrder))
        var above = ECDSASignature.halfOrder
        above[31] += 1
        #expect(!ECDSASignature.hasLowS(r + above))
        #expect(!ECDSASignature.hasLowS(r + ECDSASignature.order))
        #expect(!ECDSASignature.hasLowS(r))
    }
}
