import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `KEY ROTATE`, `KEY LIST` (SPEC §2.4), and the JWKS the HTTP side publishes.
extension WardenService {
    func rotateKey(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        if let refusal = refusal(context, action: "key.rotate", target: "-", permission: .keyAdmin) { return refusal }
        return .later { [self] in
            do {
                let entry = try await prepareKey()
                return await change(context, action: "key.rotate", target: "-", permission: .keyAdmin, scope: .exclusive) { scope, _ in
                    try scope.transaction.write(.signingKeyAdded(entry.record))
                    let retired = scope.state.keyring.activeKid
                    if let retired { try scope.transaction.write(.signingKeyRetired(kid: retired, at: scope.now)) }
                    return ChangeResult(.ok(.pair("kid", entry.record.kid)), detail: "kid=\(entry.record.kid) retired=\(retired ?? "-")")
                }.resolve()
            } catch {
                logger.error("signing key could not be created")
                return .error(.unavailable("could not create a signing key"))
            }
        }
    }

    func listKeys(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        return try read(context, action: "key.list", target: "-", permission: .keyAdmin) { state in
            .list(state.keyring.published(at: context.now).map { entry in
                [.pair("kid", entry.record.kid), .pair("alg", entry.record.algorithm),
                 .pair("status", entry.record.retired == nil ? "active" : "retired"),
                 .pair("created", entry.record.created.rfc3339)]
            })
        }
    }

    /// The JWK Set of every key that may still verify a live token (RFC 7517).
    public func jwks() -> [[String: String]] {
        let now = Timestamp.now()
        return state.withLock { $0.keyring.published(at: now) }.map { $0.verifier.jwk(kid: $0.record.kid) }
    }

    /// Generates a key, its private half sealed with the master key for the database
    /// (off the event loops: key generation and sealing take a while).
    func prepareKey() async throws -> Keyring.Entry {
        let algorithm = configuration.signingAlgorithm
        let vault = store.secrets
        return try await hashing.run { () -> Result<Keyring.Entry, any Error> in
            Result {
                let signer = try SigningKey.generate(algorithm)
                let kid = Base64URL.encode(SecureRandom.bytes(12))
                let jwk = signer.verifier.jwk(kid: kid)
                let publicJWK = jwk.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
                let record = SigningKeyRecord(
                    kid: kid, algorithm: algorithm.rawValue, publicJWK: "{\(publicJWK)}",
                    sealedKey: try vault.seal(pem: try signer.pkcs8PEM(), kid: kid),
                    created: Timestamp.now(), lastExpiry: Timestamp(milliseconds: 0))
                return Keyring.Entry(record: record, signer: signer)
            }
        }.get()
    }

    /// Makes sure a key signs new tokens: the first start, or a lost active key file.
    /// Decided again inside the writer, against the latest committed state: of nodes
    /// that start together on one database, only the first creates the key.
    func ensureActiveKey() async throws {
        guard state.withLock({ $0.keyring.active == nil }) else { return }
        let entry = try await prepareKey()
        let created = try await store.writer.submit(.exclusive) { [self] transaction in
            guard state.withLock({ $0.keyring.active == nil }) else { return Committed(false) }
            try transaction.write(.signingKeyAdded(entry.record))
            try transaction.audit(actor: "warden", source: "local", action: "key.create", target: "-", detail: "kid=\(entry.record.kid)")
            return Committed(true)
        }
        if created {
            logger.notice("created a signing key", metadata: ["kid": "\(entry.record.kid)", "alg": "\(entry.record.algorithm)"])
        }
    }
}
