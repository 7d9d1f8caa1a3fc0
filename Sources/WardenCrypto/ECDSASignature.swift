import COpenSSL

/// Conversion between OpenSSL's DER ECDSA signatures and JWS's fixed-size R||S.
///
/// RFC 7518 §3.4 encodes an ES256 signature as the two 32-byte big-endian
/// integers concatenated; OpenSSL produces and expects ASN.1 DER. Accepting only
/// the fixed form on input means one signature has one encoding.
///
/// ECDSA itself is malleable: if (R, S) verifies, so does (R, n − S), a second
/// signature of the same token that nobody signed. Warden signs only the low-S form
/// (S ≤ n/2, as Bitcoin's BIP 62 and libsecp256k1 do) and refuses the high-S form on
/// input, so that one token has exactly one valid encoding.
enum ECDSASignature {
    /// Byte size of each of R and S on P-256.
    static let coordinateLength = 32

    /// The order n of P-256's base point (SEC 2 v2 §2.4.2, FIPS 186-4 D.1.2.3), big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    /// ⌊n/2⌋, big-endian: the largest S of a low-S signature.
    static let halfOrder: [UInt8] = [
        0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
    ]

    /// Whether the S of a 64-byte R||S is at most n/2. False for any other length.
    /// A comparison of fixed-width big-endian bytes: no allocation on the VALIDATE path
    /// (and S is public, so no constant time is needed).
    static func hasLowS(_ raw: [UInt8]) -> Bool {
        guard raw.count == 2 * coordinateLength else { return false }
        // S ≤ n/2 exactly when n/2 does not come before S (equal widths, big-endian).
        return !halfOrder.lexicographicallyPrecedes(raw[coordinateLength...])
    }

    /// The low-S form of a 64-byte R||S: itself when S ≤ n/2, else R||(n − S).
    static func lowS(_ raw: [UInt8]) -> [UInt8]? {
        hasLowS(raw) ? raw : complement(raw)
    }

    /// R||(n − S): the other signature ECDSA accepts for the same message and key
    /// (BIGNUM arithmetic, on the signing path and for the tests that forge the high form).
    static func complement(_ raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * coordinateLength else { return nil }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + coordinateLength, Int32(coordinateLength), nil) }
        let n = order.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(coordinateLength), nil) }
        let flipped = BN_new()
        defer {
            BN_free(s)
            BN_free(n)
            BN_free(flipped)
        }
        guard let s, let n, let flipped, BN_cmp(s, n) < 0, BN_sub(flipped, n, s) == 1 else {
            OpenSSLError.clear()
            return nil
        }
        var output = Array(raw.prefix(coordinateLength)) + [UInt8](repeating: 0, count: coordinateLength)
        let written = output.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(flipped, buffer.baseAddress! + coordinateLength, Int32(coordinateLength))
        }
        return written == Int32(coordinateLength) ? output : nil
    }

    /// DER `ECDSA-Sig-Value` to 64-byte R||S, or nil if the DER is not a signature
    /// whose integers fit 32 bytes.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        guard !der.isEmpty else { return nil }
        return der.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cursor = buffer.baseAddress
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else {
                OpenSSLError.clear()
                return nil
            }
            defer { ECDSA_SIG_free(signature) }
            var output = [UInt8](repeating: 0, count: 2 * coordinateLength)
            let written = output.withUnsafeMutableBufferPointer { out -> Bool in
                guard let base = out.baseAddress else { return false }
                return BN_bn2binpad(ECDSA_SIG_get0_r(signature), base, Int32(coordinateLength)) == Int32(coordinateLength)
                    && BN_bn2binpad(ECDSA_SIG_get0_s(signature), base + coordinateLength, Int32(coordinateLength)) == Int32(coordinateLength)
            }
            return written ? output : nil
        }
    }

    /// 64-byte R||S to DER, or nil if the input is not exactly 64 bytes or
    /// OpenSSL cannot build the structure.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * coordinateLength else { return nil }
        guard let signature = ECDSA_SIG_new() else {
            OpenSSLError.clear()
            return nil
        }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer -> (OpaquePointer?, OpaquePointer?) in
            guard let base = buffer.baseAddress else { return (nil, nil) }
            return (BN_bin2bn(base, Int32(coordinateLength), nil),
                    BN_bin2bn(base + coordinateLength, Int32(coordinateLength), nil))
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            OpenSSLError.clear()
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else {
            OpenSSLError.clear()
            return nil
        }
        var output = [UInt8](repeating: 0, count: Int(length))
        let written = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? output : nil
    }
}
