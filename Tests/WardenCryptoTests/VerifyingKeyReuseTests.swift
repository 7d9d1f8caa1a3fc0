import Testing
@testable import WardenCrypto

/// A `VerifyingKey` reuses its OpenSSL verification contexts: a reused context must
/// judge every signature afresh, whatever the one before it was.
@Suite struct VerifyingKeyReuseTests {
    @Test(arguments: SigningAlgorithm.allCases)
    func aReusedContextJudgesEachSignatureAfresh(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let verifier = key.verifier
        for index in 0..<40 {
            let message = [UInt8(index)] + SecureRandom.bytes(24)
            let signature = try key.sign(message)
            var forged = signature
            forged[index % forged.count] ^= 0x01
            // Good, bad, good, wrong message, good: each answer its own.
            #expect(verifier.verify(signature: signature, message: message))
            #expect(!verifier.verify(signature: forged, message: message))
            #expect(verifier.verify(signature: signature, message: message))
            #expect(!verifier.verify(signature: signature, message: message + [0]))
            #expect(!verifier.verify(signature: [UInt8](repeating: 0, count: 64), message: message))
            #expect(verifier.verify(signature: signature, message: message))
        }
    }

    @Test func aContextIsNeverSharedAcrossKeys() throws {
        let first = try SigningKey.generate(.edDSA), second = try SigningKey.generate(.edDSA)
        let message: [UInt8] = Array("header.payload".utf8)
        let byFirst = try first.sign(message), bySecond = try second.sign(message)
        for _ in 0..<10 {
            #expect(first.verifier.verify(signature: byFirst, message: message))
            #expect(!first.verifier.verify(signature: bySecond, message: message))
            #expect(second.verifier.verify(signature: bySecond, message: message))
            #expect(!second.verifier.verify(signature: byFirst, message: message))
        }
    }

    /// More tasks at once than contexts are kept: the extra contexts are made and
    /// freed, and no two verifications ever share one.
    @Test(arguments: SigningAlgorithm.allCases)
    func manyVerificationsAtOnceEachGetTheirOwnAnswer(_ algorithm: SigningAlgorithm) async throws {
        let key = try SigningKey.generate(algorithm)
        let verifier = key.verifier
        let signed = try (0..<8).map { index -> ([UInt8], [UInt8]) in
            let message = [UInt8(index)] + SecureRandom.bytes(32)
            return (message, try key.sign(message))
        }
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<48 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<20 {
                        let (message, signature) = signed[(task + round) % signed.count]
                        let (_, other) = signed[(task + round + 1) % signed.count]
                        if !verifier.verify(signature: signature, message: message) { wrong += 1 }
                        if verifier.verify(signature: other, message: message) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}
