// swift-tools-version:6.1
import PackageDescription

// Layers (arrows point down only; see docs/architecture.md):
//
//   warden (executable)  ─ serve, cli, import, audit verify
//   WardenServer         ─ NIO pipelines: line protocol and HTTP
//   WardenWeb            ─ the web pages (SPEC §11): routes, templates, CSRF, QR codes (no NIO)
//   WardenClient         ─ line-protocol client used by `warden cli` and the tests
//   WardenImport         ─ `warden import`'s file side: CSV reader, row checks (no I/O)
//   WardenSCIM           ─ SCIM filters, PATCH paths and PATCH of a JSON resource (no I/O)
//   WardenService        ─ use cases and authorization of the caller
//   WardenPostgres       ─ PostgreSQL: pool, migrations (several nodes)
//   WardenStore          ─ SQLite: migrations, repositories, group commit
//   WardenCrypto         ─ OpenSSL: scrypt PHC, JWS, JWKS, SHA-256, randomness
//   WardenCore           ─ pure model: identifiers, directory, check engine, errors
//   WardenProtocol       ─ pure line codec
let package = Package(
    name: "warden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warden", targets: ["warden"]),
        // For the benchmark package in Benchmarks/ (kept out of the main build).
        .library(name: "WardenCore", targets: ["WardenCore"]),
        .library(name: "WardenProtocol", targets: ["WardenProtocol"]),
        .library(name: "WardenCrypto", targets: ["WardenCrypto"]),
        // For the fuzz package in Fuzz/.
        .library(name: "WardenImport", targets: ["WardenImport"]),
        .library(name: "WardenSCIM", targets: ["WardenSCIM"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),

        // Pure layers.
        // The common-password list is data, embedded at build time (EmbedResources).
        .target(name: "WardenCore", exclude: ["Policy/common-passwords.txt"], plugins: ["EmbedResources"]),
        .target(name: "WardenProtocol"),
        .target(name: "WardenImport", dependencies: ["WardenCore"]),
        // SCIM's filter and PATCH grammars and the PATCH of a JSON resource (SPEC §12); no I/O, fuzzed.
        .target(name: "WardenSCIM", dependencies: ["WardenCore"]),

        // Infrastructure.
        .target(name: "WardenCrypto", dependencies: ["COpenSSL"]),
        .target(
            name: "WardenStore",
            dependencies: [
                "CSQLite", "WardenCore", "WardenCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedResources"]
        ),

        .target(
            name: "WardenPostgres",
            dependencies: [
                "WardenStore", "WardenCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: ["EmbedResources"]
        ),

        // Use cases.
        .target(
            name: "WardenService",
            dependencies: [
                "WardenCore", "WardenProtocol", "WardenCrypto", "WardenStore", "WardenSCIM",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The pages of SPEC §11, in HTTP's terms but without NIO; templates and static
        // files are data files embedded at build time (EmbedResources).
        .target(
            name: "WardenWeb",
            dependencies: ["WardenService", "WardenCrypto"],
            exclude: ["Templates", "Static"],
            plugins: ["EmbedResources"]
        ),

        // Network edges.
        .target(
            name: "WardenServer",
            dependencies: [
                "WardenService", "WardenWeb", "WardenProtocol", "WardenCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "WardenClient",
            dependencies: [
                "WardenProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "warden",
            dependencies: [
                "WardenServer", "WardenClient", "WardenStore", "WardenPostgres", "WardenCrypto", "WardenCore", "WardenProtocol",
                "WardenImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Build-time embedding of data files (schema/*.sql, the common-password list).
        .executableTarget(name: "ResourceEmbedder"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["ResourceEmbedder"]),

        // Tests: one target per layer, plus end-to-end against the real binary.
        .testTarget(name: "WardenCoreTests", dependencies: ["WardenCore"]),
        .testTarget(name: "WardenProtocolTests", dependencies: ["WardenProtocol"]),
        .testTarget(name: "WardenCryptoTests", dependencies: ["WardenCrypto"]),
        .testTarget(name: "WardenImportTests", dependencies: ["WardenImport", "WardenCore"]),
        .testTarget(name: "WardenSCIMTests", dependencies: ["WardenSCIM"]),
        .testTarget(
            name: "WardenServerTests",
            dependencies: ["WardenServer", "WardenProtocol", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(name: "WardenClientTests", dependencies: ["WardenClient", "WardenProtocol"]),
        // Template escaping, form parsing, the QR encoder (decoded by zxing-cpp through Python).
        .testTarget(name: "WardenWebTests", dependencies: ["WardenWeb", "WardenTestSupport"]),
        .testTarget(
            name: "WardenStoreTests",
            dependencies: ["WardenStore", "WardenCore", .product(name: "Logging", package: "swift-log")]
        ),
        // Against a real PostgreSQL server (scripts/postgres-scratch; skipped without one).
        .testTarget(
            name: "WardenPostgresTests",
            dependencies: ["WardenPostgres", "WardenStore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "WardenServiceTests",
            dependencies: [
                "WardenService", "WardenStore", "WardenCore", "WardenProtocol", "WardenCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The real server as a process and a blocking line-protocol client, shared by
        // the end-to-end and the tools tests (test targets cannot import each other).
        .target(name: "WardenTestSupport", path: "Tests/WardenTestSupport"),
        .testTarget(
            name: "WardenEndToEndTests",
            dependencies: ["WardenTestSupport", "WardenClient", "WardenProtocol", "WardenCrypto", "CSQLite", "WardenWeb"],
            // Python run by the interop tests (PyJWT), the browser tests (Selenium) and the OAuth
            // tests (authlib, requests-oauthlib), and nginx's upstream: not part of the build.
            exclude: ["interop", "web", "oauth"]
        ),
        // The admin tools (warden cli, warden import, scripts/, TLS) driven as a user
        // would: the built binary and scripts as processes, against the real server.
        .testTarget(name: "WardenToolsTests", dependencies: ["WardenTestSupport"]),
        // Several `warden serve --postgres` nodes on the scratch PostgreSQL server (SPEC §6).
        .testTarget(name: "WardenClusterTests", dependencies: ["WardenTestSupport"]),
    ]
)
