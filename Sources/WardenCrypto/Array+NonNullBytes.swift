/// Non-null buffer access for OpenSSL calls.
///
/// Swift may give an empty array a nil base address, and several OpenSSL entry
/// points treat a NULL buffer as an error (or as undefined) even with a zero
/// length. Empty inputs are legal here (an empty password, an empty message),
/// so they get a one-byte stand-in buffer with a reported length of zero.
extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never nil and the array's real length.
    func withNonNullBytes<Result>(
        _ body: (UnsafePointer<UInt8>, Int) throws -> Result
    ) rethrows -> Result {
        let storage: [UInt8] = isEmpty ? [0] : self
        return try storage.withUnsafeBufferPointer { buffer in
            // A non-empty array always has a base address.
            try body(buffer.baseAddress!, count)
        }
    }
}
