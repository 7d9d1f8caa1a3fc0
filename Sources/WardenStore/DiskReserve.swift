#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Room kept on the data directory's disk for offboarding (`DIR/reserve`).
///
/// A full disk must not keep a leaver's access: when a write fails for want of space,
/// the writer deletes this file, and the space it gave back is spent only on changes
/// that take access away (`WritePriority.offboarding`) and on the logins of the
/// administrators who make them. Everything else is refused as `UNAVAILABLE` until
/// the storage probe can write the file again, so a flood of failed logins cannot eat
/// the room kept for `USER DISABLE`.
public struct DiskReserve: Sendable {
    /// 2 MiB: several hundred disables with their audit entries in the write-ahead log.
    public static let defaultBytes = 2 << 20

    public let path: String
    public let bytes: Int

    public init(directory: DataDirectory, bytes: Int = DiskReserve.defaultBytes) {
        self.path = directory.path + "/reserve"
        self.bytes = bytes
    }

    /// Whether the file is there at its full size.
    public var isInPlace: Bool {
        var info = stat()
        return stat(path, &info) == 0 && Int(info.st_size) >= bytes
    }

    /// Writes the file (zeros, synced, then renamed into place) unless it is there;
    /// false when the disk has not the room, leaving nothing behind.
    public func create() -> Bool {
        if isInPlace { return true }
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        // Zeros really written, not a sparse file or a size promised by ftruncate:
        // the blocks must be taken now, so that giving them back frees them.
        let chunk = [UInt8](repeating: 0, count: 1 << 16)
        var written = 0
        while written < bytes {
            let count = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, min($0.count, bytes - written)) }
            guard count > 0 else { break }
            written += count
        }
        let synced = written == bytes && fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Deletes the file, giving its space back to the database.
    public func release() {
        unlink(path)
    }
}
