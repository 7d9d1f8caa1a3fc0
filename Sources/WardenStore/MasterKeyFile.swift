#if canImport(Glibc)
import Glibc
#endif
import WardenCrypto

/// The master key file (SPEC §6): `--master-key-file FILE`, or `DATA/master.key`,
/// which Warden creates (0600, 32 random bytes) when it is absent and no file was named.
public enum MasterKeyFile {
    /// The key at `path`. When there is none and `create`, a new key is written to
    /// `path.new` first (`isNew`): the caller records its check in the database, then
    /// `commit` renames it into place, so a crash between the two leaves a key that
    /// the next start finds again instead of a database keyed with a lost one.
    /// Refuses a file others may read, or one that does not hold 32 bytes (raw or
    /// base64), naming the file.
    public static func load(path: String, create: Bool) throws(StoreError) -> (key: MasterKey, isNew: Bool) {
        var info = stat()
        if stat(path, &info) == 0 { return (try read(path, info), false) }
        guard errno == ENOENT else { throw .masterKey(path, "cannot read it: \(String(cString: strerror(errno)))") }
        guard create else { throw .masterKey(path, "it does not exist") }
        let pending = path + ".new"
        if stat(pending, &info) == 0 { return (try read(pending, info), true) }
        return (try write(MasterKey.generate(), to: pending), true)
    }

    /// Moves a new key from `path.new` to `path` (see `load`).
    public static func commit(path: String) throws(StoreError) {
        guard rename(path + ".new", path) == 0 else {
            throw .masterKey(path, "cannot put it in place: \(String(cString: strerror(errno)))")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    private static func read(_ path: String, _ info: stat) throws(StoreError) -> MasterKey {
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .masterKey(path, "not a regular file") }
        guard info.st_mode & 0o007 == 0 else { throw .masterKey(path, "others may read or write it; chmod 600 it") }
        guard info.st_size <= 4096, let bytes = readAll(path) else { throw .masterKey(path, "cannot read it") }
        do {
            return try MasterKey(fileContents: bytes)
        } catch {
            throw .masterKey(path, "it does not hold 32 bytes (raw or base64)")
        }
    }

    private static func write(_ key: MasterKey, to path: String) throws(StoreError) -> MasterKey {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .masterKey(path, "cannot create it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = key.fileContents
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw .masterKey(path, "cannot write it: \(String(cString: strerror(errno)))")
        }
        return key
    }

    private static func readAll(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4097)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0, count <= 4096 else { return nil }
        return Array(bytes.prefix(count))
    }
}
