import Benchmark
import CBenchSupport
import WardenCore
import WardenCrypto
import WardenProtocol

/// Micro benchmarks of Warden's hot paths, each beside the cost it cannot go below
/// where there is one (raw OpenSSL). Run: `swift package --package-path Benchmarks benchmark`.
let benchmarks: @Sendable () -> Void = {
    let fast = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 1_000_000)
    let crypto = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 10, maxDuration: .seconds(2), maxIterations: 100_000)
    let slow = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 200)

    // MARK: Line codec

    let checkLine = Array("CHECK bench-u42 bench read".utf8)
    Benchmark("LineCodec: parse a CHECK line", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Request.parse(line: checkLine))
        }
    }
    let allow = Reply.ok("ALLOW", .pair("via", "role:bench-top"))
    Benchmark("LineCodec: encode an ALLOW reply", configuration: fast) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ReplyEncoder.encode(allow))
        }
    }

    // MARK: Check engine

    for users in [1_000, 100_000] {
        let directory = ScaleDirectory.make(users: users)
        let entitlement = Entitlement(system: "scale", permission: "read")
        let now = Timestamp.now()
        let names = (0..<users).map { "user-\($0)" }
        var random = UInt64(42)
        Benchmark("Directory.check: nested roles, \(users) users", configuration: fast) { benchmark in
            for _ in benchmark.scaledIterations {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                blackHole(directory.check(user: names[Int(random >> 33) % users], entitlement, at: now))
            }
        }
    }

    // MARK: JWS (Ed25519)

    let key = try! SigningKey.generate(.edDSA)
    let claims = JWTClaims(
        iss: "warden", sub: "bench-t0", aud: "warden", iat: 1_800_000_000, nbf: 1_800_000_000,
        exp: 1_800_000_900, jti: "Qm9vdHN0cmFwLXRva2VuLWlk")
    let token = try! JWS.sign(claims, key: key, kid: "bench-kid")
    let decoded = try! JWS.decode(token)
    Benchmark("JWS: sign (Ed25519)", configuration: crypto) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? JWS.sign(claims, key: key, kid: "bench-kid"))
        }
    }
    Benchmark("JWS: decode (parse only)", configuration: crypto) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? JWS.decode(token))
        }
    }
    Benchmark("JWS: decode + verify (Ed25519)", configuration: crypto) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(JWS.verify(try! JWS.decode(token), with: key.verifier))
        }
    }
    let raw = RawEd25519()
    let message = decoded.signingInput
    let signature = raw.sign(message)
    Benchmark("Raw OpenSSL: Ed25519 verify (EVP_DigestVerify)", configuration: crypto) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(raw.verify(message, signature))
        }
    }

    // MARK: scrypt (ln=14 so that a run takes seconds, not minutes)

    let password = Array("correct horse battery staple".utf8)
    let salt: [UInt8] = Array(1...16)
    Benchmark("Scrypt.derive ln=14 r=8 p=1 (Warden's wrapper)", configuration: slow) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Scrypt.derive(password: password, salt: salt, n: 1 << 14, r: 8, p: 1, length: 32))
        }
    }
    Benchmark("Raw OpenSSL: EVP_KDF scrypt ln=14 r=8 p=1", configuration: slow) { benchmark in
        var out = [UInt8](repeating: 0, count: 32)
        for _ in benchmark.scaledIterations {
            blackHole(bench_scrypt(password, password.count, salt, salt.count, 1 << 14, 8, 1, &out, out.count))
        }
    }
}

/// An Ed25519 key held by the C side, for the raw comparison.
final class RawEd25519: @unchecked Sendable {
    private let key: UnsafeMutableRawPointer

    init() { key = bench_ed25519_new() }
    deinit { bench_ed25519_free(key) }

    func sign(_ message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: 64)
        _ = bench_ed25519_sign(key, message, message.count, &signature)
        return signature
    }

    func verify(_ message: [UInt8], _ signature: [UInt8]) -> Bool {
        bench_ed25519_verify(key, message, message.count, signature) == 1
    }
}
