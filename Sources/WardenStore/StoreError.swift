/// Why the data directory cannot be opened (`warden serve` prints the message and
/// exits non-zero: Warden never starts on a database it cannot trust, and never
/// creates a fresh one over a file it could not read), or why it cannot be written
/// any more (`fileReplaced`).
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case dataDirectory(String)
    case locked(String)
    case notWardenDatabase(String)
    case newerSchema(found: Int, supported: Int)
    case corrupt(String)
    case sqlite(SQLiteError)
    /// The path no longer names the file that was opened (renamed over, or deleted).
    case fileReplaced(String)
    /// The master key file cannot be used (path, why).
    case masterKey(String, String)
    /// The master key is not the one this database's audit chain was keyed with.
    case wrongMasterKey(String)
    /// A secret sealed in the database does not open with the master key (what, key file).
    case sealedSecret(String, String)

    public var description: String {
        switch self {
        case .dataDirectory(let message): "data directory: \(message)"
        case .locked(let path): "another warden process is using \(path) (lock held); refusing to share it"
        case .notWardenDatabase(let path): "\(path) is not a Warden database; refusing to use or overwrite it"
        case .newerSchema(let found, let supported):
            "the database has schema version \(found), newer than this binary supports (\(supported)); use a newer warden"
        case .corrupt(let message): "the database is corrupt or truncated: \(message); restore it from a backup"
        case .sqlite(let error): "database error: \(error)"
        case .masterKey(let path, let why): "master key file \(path): \(why)"
        case .wrongMasterKey(let path):
            "master key file \(path) is not the key this database was set up with (or the database's audit_keying row was altered); refusing to start"
        case .sealedSecret(let what, let path):
            "\(what) does not open with the master key file \(path) (altered in the database, or sealed under another key); refusing to start"
        case .fileReplaced(let path):
            "\(path) is no longer the file Warden opened (replaced or removed while running); refusing to write to a file nobody will open again: restart warden"
        }
    }
}
