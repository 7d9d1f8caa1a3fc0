import WardenStore

extension StoreError {
    /// The case's name, so that a test can expect a kind of refusal in one comparison
    /// (`StoreError` is not `Equatable`: it carries an `SQLiteError`).
    var kind: String {
        switch self {
        case .dataDirectory: "dataDirectory"
        case .locked: "locked"
        case .notWardenDatabase: "notWardenDatabase"
        case .newerSchema: "newerSchema"
        case .corrupt: "corrupt"
        case .sqlite: "sqlite"
        case .fileReplaced: "fileReplaced"
        case .masterKey: "masterKey"
        case .wrongMasterKey: "wrongMasterKey"
        case .sealedSecret: "sealedSecret"
        }
    }
}
