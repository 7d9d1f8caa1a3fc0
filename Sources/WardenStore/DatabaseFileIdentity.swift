#if canImport(Glibc)
import Glibc
#endif

/// Which file the open database is: its device and inode when it was opened.
///
/// SQLite keeps writing to the file it opened even after something renames another
/// file over its path or deletes it: every change acknowledged from then on lands in a
/// file nobody will open again and is lost at the next start. The writer asks before
/// every commit whether the path still names the opened file, and refuses to go on when
/// it does not (one `stat`, against a commit's `fsync`).
public struct DatabaseFileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    public let path: String

    /// The identity of the file at `path` now; nil when there is none.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
        self.path = path
    }

    /// Whether `path` still names the file this identity was taken of.
    public var isCurrent: Bool { DatabaseFileIdentity(path: path) == self }
}
