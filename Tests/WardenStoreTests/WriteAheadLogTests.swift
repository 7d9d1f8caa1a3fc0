#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import WardenStore

/// Opening a database whose write-ahead log was left by a crash, or damaged (SPEC §4).
///
/// A log whose last frame is torn is what a crash in the middle of a commit leaves:
/// SQLite drops that unacknowledged commit and the database opens. A log damaged in
/// its header is not something a crash leaves, and SQLite would silently ignore
/// the whole log, and every acknowledged change in it: Warden refuses to start.
@Suite struct WriteAheadLogTests {
    /// A crash image: the database and its log copied while the writer still has them
    /// open (closing the last connection would checkpoint and delete the log).
    /// `first` and `second` were committed in two transactions, in that order.
    static func crashImage() throws -> (TemporaryDirectory, DataDirectory, walPath: String) {
        let source = try TemporaryDirectory()
        let target = try TemporaryDirectory()
        let sourceDirectory = try DataDirectory(path: source.dataPath)
        let (connection, _) = try DatabaseOpener.open(sourceDirectory, now: 1)
        // The schema goes to the main file, as after a clean stop; the users stay in the log.
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for name in ["first", "second"] {
            try connection.run(
                "INSERT INTO users (name, display_name, kind, status, created_ms) VALUES (?, '', 'person', 'active', 1)", .text(name))
        }
        let targetDirectory = try DataDirectory(path: target.dataPath)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: sourceDirectory.databasePath + suffix, toPath: targetDirectory.databasePath + suffix)
        }
        _ = connection
        return (target, targetDirectory, targetDirectory.databasePath + "-wal")
    }

    static func size(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    static func users(_ directory: DataDirectory) throws -> [String] {
        let (connection, _) = try DatabaseOpener.open(directory, now: 2)
        return try connection.query("SELECT name FROM users WHERE name IN ('first', 'second') ORDER BY id") { $0.text(0) }
    }

    @Test func anIntactLogIsReplayed() throws {
        let (temporary, directory, wal) = try Self.crashImage()
        #expect(try Self.size(wal) > 32)
        #expect(try Self.users(directory) == ["first", "second"])
        _ = temporary
    }

    @Test func aLogEndingInATornFrameOpensWithoutTheUnfinishedCommit() throws {
        let (temporary, directory, wal) = try Self.crashImage()
        #expect(truncate(wal, off_t(try Self.size(wal) - 100)) == 0)
        #expect(try Self.users(directory) == ["first"])
        _ = temporary
    }

    /// (A log cut to nothing cannot be told from the empty log a checkpoint leaves.)
    @Test(arguments: [1, 10, 31])
    func aLogCutInsideItsHeaderIsRefused(keeping bytes: Int) throws {
        let (temporary, directory, wal) = try Self.crashImage()
        #expect(truncate(wal, off_t(bytes)) == 0)
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 2) }
        #expect(error?.kind == "corrupt")
        #expect(error?.description.contains("write-ahead log") == true)
        _ = temporary
    }

    /// Offsets into the 32-byte header: magic, format version, salt, checksum.
    @Test(arguments: [0, 5, 17, 30])
    func aLogWithADamagedHeaderIsRefused(at offset: Int) throws {
        let (temporary, directory, wal) = try Self.crashImage()
        let handle = try #require(FileHandle(forUpdatingAtPath: wal))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x5A])
        try handle.close()
        let error = #expect(throws: StoreError.self) { try DatabaseOpener.open(directory, now: 2) }
        #expect(error?.kind == "corrupt")
        #expect(error?.description.contains("write-ahead log") == true)
        _ = temporary
    }
}
