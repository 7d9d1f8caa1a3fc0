import Foundation

/// A folder under the system's temporary directory, removed when the value goes away.
/// `dataPath` names a data directory inside it that does not exist yet, so that
/// tests see Warden create it.
final class TemporaryDirectory {
    let path: String
    var dataPath: String { path + "/data" }
    var databasePath: String { dataPath + "/warden.db" }

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("warden-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
