import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
///
/// Salts, key identifiers and token ids must be unpredictable; `RAND_bytes` is
/// the one source used for all of them.
public enum SecureRandom {
    /// Returns `count` random bytes (an empty array for `count <= 0`).
    ///
    /// If the DRBG cannot produce output there is no safe fallback (predictable
    /// salts or ids would silently weaken everything built on them), so this is the
    /// one place in the module that stops the process instead of throwing.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0, count <= Int(Int32.max) else { return [] }
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(count))
        }
        if status != 1 {
            fatalError("RAND_bytes failed: the system random generator is unavailable")
        }
        return output
    }
}
