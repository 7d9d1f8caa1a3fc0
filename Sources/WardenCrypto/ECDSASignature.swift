import COpenSSL

/// Conversion between OpenSSL's DER ECDSA signatures and JWS's fixed-size R||S.
///
/// RFC 7518 §3.4 encodes an ES256 signature as the two 32-byte big-endian
/// integers concatenated; OpenSSL produces and expects ASN.1 DER. Accepting only
/// the fixed form on input means one signature has one encoding.
enum ECDSASignature {
    /// Byte size of each of R and S on P-256.
    static let coordinateLength = 32

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
