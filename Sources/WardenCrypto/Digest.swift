import COpenSSL

/// SHA-256 through OpenSSL's EVP interface.
///
/// Used for fingerprints and audit-chain hashing, where the hash must be the
/// standard one and computed by a vetted implementation.
public enum Digest {
    /// The 32-byte SHA-256 digest of `bytes`.
    ///
    /// SHA-256 over a memory buffer can only fail if OpenSSL itself is broken (no
    /// default provider, out of memory); that does not depend on the input, and
    /// returning anything other than the true digest would corrupt every caller,
    /// so that case stops the process.
    public static func sha256<B: Sequence>(_ bytes: B) -> [UInt8] where B.Element == UInt8 {
        let input = Array(bytes)
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let status = input.withNonNullBytes { pointer, count in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(pointer, count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        if status != 1 || length != 32 {
            fatalError("EVP_Digest(SHA-256) failed: OpenSSL is unusable")
        }
        return output
    }
}
