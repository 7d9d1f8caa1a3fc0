#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import WardenStore

/// The data directory (SPEC §4): private to its user, and held by one process at a time.
@Suite struct DataDirectoryTests {
    @Test func createsTheDirectoryMode0700() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        #expect(permissionBits(of: directory.path) == 0o700)
    }

    @Test func tightensADirectoryMadeWithLooserPermissions() throws {
        let temporary = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: temporary.dataPath, withIntermediateDirectories: false)
        #expect(chmod(temporary.dataPath, 0o755) == 0)
        _ = try DataDirectory(path: temporary.dataPath)
        #expect(permissionBits(of: temporary.dataPath) == 0o700)
    }

    @Test func refusesAMissingDirectoryWhenNotAskedToCreateIt() throws {
        let temporary = try TemporaryDirectory()
        let error = #expect(throws: StoreError.self) { try DataDirectory(path: temporary.dataPath, createIfMissing: false) }
        #expect(error?.kind == "dataDirectory")
        #expect(permissionBits(of: temporary.dataPath) == nil)
    }

    @Test func refusesAPathThatIsAFile() throws {
        let temporary = try TemporaryDirectory()
        try "x".write(toFile: temporary.dataPath, atomically: false, encoding: .utf8)
        let error = #expect(throws: StoreError.self) { try DataDirectory(path: temporary.dataPath) }
        #expect(error?.kind == "dataDirectory")
    }

    @Test func writesSecretFilesMode0600() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        try directory.writeSecretFile("secret.txt", contents: "s3cret\n")
        #expect(permissionBits(of: directory.path + "/secret.txt") == 0o600)
        #expect(directory.readFile("secret.txt") == "s3cret\n")
        #expect(permissionBits(of: directory.path + "/secret.txt.tmp") == nil)
    }

    @Test func replacesAWorldReadableFileWithAPrivateOne() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        let path = directory.path + "/secret.txt"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o644) == 0)
        try directory.writeSecretFile("secret.txt", contents: "new")
        #expect(permissionBits(of: path) == 0o600)
        #expect(directory.readFile("secret.txt") == "new")
    }

    @Test func readsNothingFromAMissingFile() throws {
        let temporary = try TemporaryDirectory()
        let directory = try DataDirectory(path: temporary.dataPath)
        #expect(directory.readFile("nosuch") == nil)
    }

    @Test func refusesASecondHolderWhileTheFirstIsAlive() throws {
        let temporary = try TemporaryDirectory()
        let first = try DataDirectory(path: temporary.dataPath)
        let error = #expect(throws: StoreError.self) { try DataDirectory(path: temporary.dataPath) }
        #expect(error?.kind == "locked")
        withExtendedLifetime(first) {}
    }

    @Test func acceptsASecondHolderOnceTheFirstIsReleased() throws {
        let temporary = try TemporaryDirectory()
        var first: DataDirectory? = try DataDirectory(path: temporary.dataPath)
        #expect(first != nil)
        first = nil
        let second = try DataDirectory(path: temporary.dataPath)
        #expect(second.path == temporary.dataPath)
    }
}
