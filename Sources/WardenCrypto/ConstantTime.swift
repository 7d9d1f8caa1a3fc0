import COpenSSL

/// Comparison of secret byte strings without data-dependent timing.
///
/// Comparing a password hash or token with `==` stops at the first differing
/// byte, which leaks how much of a guess was right.
public enum ConstantTime {
    /// True if `a` and `b` are byte-for-byte equal. The lengths are public (they
    /// are fixed by the format), so a length mismatch returns early; the contents
    /// are compared with `CRYPTO_memcmp`.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, a.count) == 0
            }
        }
    }
}
