import COpenSSL

/// Turns OpenSSL's thread-local error queue into a `CryptoError`.
///
/// The queue is always drained, so an old failure can never be reported as the
/// cause of a later, unrelated one.
enum OpenSSLError {
    /// Drains the error queue and returns `.openSSL` naming the failed call and
    /// OpenSSL's first recorded reason.
    static func drain(_ operation: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return .openSSL("\(operation) failed") }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let reason = buffer.withUnsafeBufferPointer { pointer in
            String(decoding: pointer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return .openSSL("\(operation) failed: \(reason)")
    }

    /// Discards queued errors after a failure the caller maps to a plain result
    /// (for example a signature that does not verify).
    static func clear() {
        ERR_clear_error()
    }
}
