#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data directory (`--data`, default `./warden-data`): created mode 0700,
/// holding the database (signing keys included, sealed), the master key, and an
/// exclusive lock so that a second `warden serve` refuses to start instead of
/// sharing the files.
public final class DataDirectory: Sendable {
    public let path: String
    private let lockDescriptor: Int32

    public var databasePath: String { path + "/warden.db" }
    /// The master key's default place (SPEC §6), when `--master-key-file` is not given.
    public var masterKeyPath: String { path + "/master.key" }

    /// Creates the directory if needed and takes the lock.
    public init(path: String, createIfMissing: Bool = true) throws(StoreError) {
        self.path = path
        // Everything Warden creates is private to its user.
        umask(0o077)
        var info = stat()
        if stat(path, &info) != 0 {
            guard createIfMissing else { throw .dataDirectory("\(path) does not exist") }
            guard mkdir(path, 0o700) == 0 else {
                throw .dataDirectory("cannot create \(path): \(String(cString: strerror(errno)))")
            }
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            throw .dataDirectory("\(path) is not a directory")
        }
        // Tighten a directory that was made by hand with looser permissions.
        chmod(path, 0o700)
        let descriptor = open(path + "/warden.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .dataDirectory("cannot open the lock file in \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path)
        }
        lockDescriptor = descriptor
    }

    /// Lets another process (or a store opened again) take the folder once this one
    /// has closed its database; the lock file stays.
    public func releaseLock() {
        flock(lockDescriptor, LOCK_UN)
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// Writes `contents` to `name` inside the directory, mode 0600, durably.
    public func writeSecretFile(_ name: String, contents: String) throws(StoreError) {
        let target = path + "/" + name
        let temporary = target + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .dataDirectory("cannot write \(target): \(String(cString: strerror(errno)))") }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw .dataDirectory("cannot write \(target)")
        }
        let directory = open(path, O_RDONLY | O_DIRECTORY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Removes a file inside the directory, durably; whether it is gone.
    public func removeFile(_ name: String) -> Bool {
        guard unlink(path + "/" + name) == 0 || errno == ENOENT else { return false }
        let directory = open(path, O_RDONLY | O_DIRECTORY)
        guard directory >= 0 else { return false }
        defer { close(directory) }
        return fsync(directory) == 0
    }

    /// Reads a file inside the directory, or `nil` when it does not exist.
    public func readFile(_ name: String) -> String? {
        let descriptor = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
