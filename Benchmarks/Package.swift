// swift-tools-version:6.1
import PackageDescription

// Warden's benchmarks: kept in their own package so that the main package (and CI,
// which builds only the main package) depends on nothing new.
//
//   warden-bench  ─ load generator for the line protocol (and Redis, as the anchor),
//                   plus the raw anchors: fdatasync rate, OpenSSL scrypt rate
//   WardenMicro   ─ micro benchmarks (ordo-one/benchmark): line codec, check engine,
//                   JWS sign/verify, scrypt wrapper vs raw EVP_KDF
//   CBenchSupport ─ plain C calls into OpenSSL and the kernel, as the "raw" side
//
// Run from the repository root: `scripts/bench` (everything) or
// `swift package --package-path Benchmarks benchmark` (micro benchmarks only).
let package = Package(
    name: "warden-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "warden", path: ".."),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", exact: "0.2.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CBenchSupport",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .executableTarget(
            name: "warden-bench",
            dependencies: [
                "CBenchSupport",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "WardenMicro",
            dependencies: [
                "CBenchSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WardenCore", package: "warden"),
                .product(name: "WardenProtocol", package: "warden"),
                .product(name: "WardenCrypto", package: "warden"),
            ],
            path: "Benchmarks/WardenMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
