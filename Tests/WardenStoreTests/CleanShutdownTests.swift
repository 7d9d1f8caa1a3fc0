#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Testing
import WardenStore

/// The full `PRAGMA quick_check` at start runs unless Warden itself stopped cleanly and
/// the database is untouched since (it reads every page: seconds at a million users).
/// Each test damages an index that loading the directory never reads, so only the full
/// check can see it: whether the start is refused tells whether the check ran.
@Suite struct CleanShutdownTests {
    static let logger = Logger(label: "warden.test")

    /// A data directory whose store was opened and closed cleanly.
    static func cleanlyStopped() throws -> TemporaryDirectory {
        let temporary = try TemporaryDirectory()
        let opened = try SQLiteStore.open(path: temporary.dataPath, logger: logger)
        #expect(opened.isNew)
        opened.store.close()
        return temporary
    }

    /// Garbage over the root page of the audit table's `actor` index, in place.
    static func damageAnIndex(_ temporary: TemporaryDirectory, keepingTheModificationTime: Bool) throws {
        let (page, pageSize) = try {
            let connection = try Connection(path: temporary.databasePath, create: false, readOnly: true)
            let page = try #require(try connection.queryOne("SELECT rootpage FROM sqlite_schema WHERE name = 'audit_by_actor'") { $0.int(0) })
            let pageSize = try #require(try connection.queryOne("PRAGMA page_size") { $0.int(0) })
            return (page, pageSize)
        }()
        var before = stat()
        #expect(stat(temporary.databasePath, &before) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: temporary.databasePath))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize))
        try handle.write(contentsOf: (0..<Int(pageSize)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try handle.close()
        if keepingTheModificationTime {
            #if canImport(Glibc)
            var times = [before.st_atim, before.st_mtim]
            #else
            var times = [before.st_atimespec, before.st_mtimespec]
            #endif
            #expect(utimensat(AT_FDCWD, temporary.databasePath, &times, 0) == 0)
        }
    }

    static func refusal(_ temporary: TemporaryDirectory) -> StoreError? {
        do {
            try SQLiteStore.open(path: temporary.dataPath, logger: logger).store.close()
            return nil
        } catch {
            return error
        }
    }

    @Test func aCleanStopIsRecordedAndTheNextStartRemovesTheRecord() throws {
        let temporary = try Self.cleanlyStopped()
        let record = temporary.dataPath + "/clean-shutdown"
        #expect(FileManager.default.fileExists(atPath: record))
        let opened = try SQLiteStore.open(path: temporary.dataPath, logger: Self.logger)
        #expect(!FileManager.default.fileExists(atPath: record))
        opened.store.close()
    }

    @Test func aStartAfterACleanStopOnAnUntouchedFileSkipsTheFullCheck() throws {
        let temporary = try Self.cleanlyStopped()
        try Self.damageAnIndex(temporary, keepingTheModificationTime: true)
        #expect(Self.refusal(temporary) == nil)
    }

    @Test func aDatabaseWrittenAfterACleanStopIsCheckedWhole() throws {
        let temporary = try Self.cleanlyStopped()
        try Self.damageAnIndex(temporary, keepingTheModificationTime: false)
        #expect(Self.refusal(temporary)?.kind == "corrupt")
    }

    @Test func aStartWithoutARecordOfACleanStopChecksTheWholeDatabase() throws {
        let temporary = try Self.cleanlyStopped()
        try FileManager.default.removeItem(atPath: temporary.dataPath + "/clean-shutdown")
        try Self.damageAnIndex(temporary, keepingTheModificationTime: true)
        #expect(Self.refusal(temporary)?.kind == "corrupt")
    }
}
