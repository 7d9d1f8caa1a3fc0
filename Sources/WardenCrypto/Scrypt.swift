import COpenSSL

/// The scrypt key-derivation function (RFC 7914) through OpenSSL's `EVP_KDF`.
public enum Scrypt {
    /// Upper bound on the memory one derivation may use. scrypt needs about
    /// 128·r·(N + p) bytes; the OWASP minimum (N = 2^17, r = 8) needs 128 MiB.
    /// Parameters read from a stored hash must not be able to exhaust the host.
    static let memoryLimit: UInt64 = 1 << 30

    /// Largest output accepted; password hashes use 32 bytes.
    static let maximumLength = 1024

    /// Derives `length` bytes from `password` and `salt` with cost `n` (a power of
    /// two greater than 1), block size `r` and parallelism `p`.
    ///
    /// - Throws: `CryptoError.invalidParameters` if the parameters are outside
    ///   RFC 7914's domain, need more than 1 GiB, or `length` is not in 1...1024;
    ///   `CryptoError.openSSL` if OpenSSL fails.
    public static func derive(
        password: [UInt8], salt: [UInt8], n: UInt64, r: UInt32, p: UInt32, length: Int
    ) throws -> [UInt8] {
        guard n > 1, n & (n - 1) == 0, r >= 1, p >= 1,
              (1...maximumLength).contains(length),
              UInt64(r) * UInt64(p) < 1 << 30,
              let memory = requiredMemory(n: n, r: r, p: p), memory <= memoryLimit
        else { throw CryptoError.invalidParameters }

        // OSSL_PARAM holds pointers, so every value must outlive the derive call.
        let passwordCopy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(password.count, 1))
        let saltCopy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(salt.count, 1))
        let costs = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let sizes = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
        defer {
            OPENSSL_cleanse(passwordCopy.baseAddress, passwordCopy.count)
            passwordCopy.deallocate()
            saltCopy.deallocate()
            costs.deallocate()
            sizes.deallocate()
        }
        passwordCopy.initialize(repeating: 0)
        saltCopy.initialize(repeating: 0)
        _ = passwordCopy.update(fromContentsOf: password)
        _ = saltCopy.update(fromContentsOf: salt)
        costs.initialize(to: n)
        (costs + 1).initialize(to: memoryLimit)
        sizes.initialize(to: r)
        (sizes + 1).initialize(to: p)

        var parameters = [
            OSSL_PARAM_construct_octet_string(StaticString("pass").cString, passwordCopy.baseAddress, password.count),
            OSSL_PARAM_construct_octet_string(StaticString("salt").cString, saltCopy.baseAddress, salt.count),
            OSSL_PARAM_construct_uint64(StaticString("n").cString, costs),
            OSSL_PARAM_construct_uint32(StaticString("r").cString, sizes),
            OSSL_PARAM_construct_uint32(StaticString("p").cString, sizes + 1),
            OSSL_PARAM_construct_uint64(StaticString("maxmem_bytes").cString, costs + 1),
            OSSL_PARAM_construct_end(),
        ]
        return try KeyDerivation.derive("SCRYPT", length: length, parameters: &parameters)
    }

    /// Bytes scrypt allocates (OpenSSL's accounting: 128·r·(N + 2) + 128·r·p),
    /// or nil if that overflows.
    static func requiredMemory(n: UInt64, r: UInt32, p: UInt32) -> UInt64? {
        let block = 128 * UInt64(r)
        let (blocks, overflowA) = n.addingReportingOverflow(2 + UInt64(p))
        let (total, overflowB) = block.multipliedReportingOverflow(by: blocks)
        return overflowA || overflowB ? nil : total
    }
}
