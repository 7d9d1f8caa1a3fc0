import ArgumentParser

/// A failure that ends the command with a message on standard error.
struct Fail: Error {
    var status: Int32
    var message: String

    static func connection(_ message: String) -> Fail { Fail(status: ConnectionOptions.connectionFailure, message: message) }
    static func usage(_ message: String) -> Fail { Fail(status: 1, message: message) }

    /// Runs `body`, turning a `Fail` into its message and exit status.
    static func reporting(_ body: () async throws -> Int32) async throws {
        let status: Int32
        do {
            status = try await body()
        } catch let failure as Fail {
            Console.error(failure.message)
            throw ExitCode(failure.status)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
