import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a system tool (`mount`, `chattr`, …) quietly; returns its exit status.
@discardableResult
func runTool(_ name: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [name] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}

/// A small tmpfs mounted on a temporary folder (needs root, or CAP_SYS_ADMIN):
/// a disk that can be filled to the last byte and emptied again.
final class Tmpfs {
    let url: URL

    init(megabytes: Int) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("warden-tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard runTool("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", url.path]) == 0 else {
            try? FileManager.default.removeItem(at: url)
            throw TmpfsError.mountFailed
        }
    }

    deinit {
        if runTool("umount", [url.path]) != 0 { runTool("umount", ["-l", url.path]) }
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes a file until the file system is full; returns its path.
    func fill() -> String {
        let path = url.appendingPathComponent("filler").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(descriptor) }
        for size in [1 << 16, 4096, 512, 1] {
            let chunk = [UInt8](repeating: 0, count: size)
            while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, size) }) == size {}
        }
        return path
    }

    /// Whether this machine lets the tests mount a tmpfs.
    static let available: Bool = (try? Tmpfs(megabytes: 1)) != nil
}

enum TmpfsError: Error { case mountFailed }

/// Whether the immutable attribute (`chattr +i`) works on the temporary folder's
/// file system: it makes writes through already-open descriptors fail, which is
/// how a database turns read-only under a running server.
let immutableFilesAvailable: Bool = {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("warden-chattr-\(UUID().uuidString)").path
    guard FileManager.default.createFile(atPath: probe, contents: Data()) else { return false }
    defer {
        runTool("chattr", ["-i", probe])
        try? FileManager.default.removeItem(atPath: probe)
    }
    return runTool("chattr", ["+i", probe]) == 0
}()

/// One integer from a query on a database file, opened read-only.
func sqliteInteger(_ path: String, _ sql: String) throws -> Int64 {
    var db: OpaquePointer?
    defer { sqlite3_close(db) }
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw SQLiteQueryError(message: "open \(path)") }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, sqlite3_step(statement) == SQLITE_ROW else {
        throw SQLiteQueryError(message: String(cString: sqlite3_errmsg(db)))
    }
    return sqlite3_column_int64(statement, 0)
}

/// The rows of a query on a database file, opened read-only, as text.
func sqliteRows(_ path: String, _ sql: String) throws -> [[String]] {
    var db: OpaquePointer?
    defer { sqlite3_close(db) }
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw SQLiteQueryError(message: "open \(path)") }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw SQLiteQueryError(message: String(cString: sqlite3_errmsg(db))) }
    var rows: [[String]] = []
    while sqlite3_step(statement) == SQLITE_ROW {
        rows.append((0..<sqlite3_column_count(statement)).map { column in
            sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
        })
    }
    return rows
}

struct SQLiteQueryError: Error { var message: String }
