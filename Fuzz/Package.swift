// swift-tools-version:6.1
import PackageDescription

// Warden's libFuzzer targets, kept in their own package so that the main package
// (and CI's build of it) depends on nothing new.
//
//   fuzz-line  ─ LineParser / Request.parse, and the ReplyEncoder round trip
//   fuzz-jws   ─ JWS.decode and JWS.verify against fixed Ed25519 and P-256 keys
//   fuzz-csv   ─ CSVReader and ImportFile (`warden import`'s file side), and the requests made of its rows
//   fuzz-scim  ─ SCIM filters (parse, write back, evaluate), PATCH paths and PATCH bodies (SPEC §12)
//
// Fuzzing build (run from Fuzz/, or use `scripts/fuzz` from the repository root):
//   swift build -c release --product fuzz-line -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
// Without -DFUZZING the same executables replay the files named on the command line
// (a corpus, or a crash reproducer) through the target once, with no sanitizer needed.
let package = Package(
    name: "warden-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "warden", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver with its C signature.
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        .executableTarget(
            name: "fuzz-line",
            dependencies: ["FuzzSupport", .product(name: "WardenProtocol", package: "warden")]
        ),
        .executableTarget(
            name: "fuzz-jws",
            dependencies: ["FuzzSupport", .product(name: "WardenCrypto", package: "warden")]
        ),
        .executableTarget(
            name: "fuzz-scim",
            dependencies: ["FuzzSupport", .product(name: "WardenSCIM", package: "warden")]
        ),
        .executableTarget(
            name: "fuzz-csv",
            dependencies: [
                "FuzzSupport",
                .product(name: "WardenImport", package: "warden"),
                .product(name: "WardenCore", package: "warden"),
                .product(name: "WardenProtocol", package: "warden"),
            ]
        ),
    ]
)
