/// Unpadded standard base64 (RFC 4648 §4), the encoding of PHC hash strings.
public enum Base64 {
    /// Encodes with the standard alphabet (`+`, `/`) and no `=` padding.
    public static func encodeNoPadding(_ bytes: [UInt8]) -> String {
        Base64Codec.standard.encode(bytes)
    }

    /// Decodes strictly: standard alphabet only, no padding or whitespace, length
    /// not 1 mod 4, zero unused trailing bits. Returns nil otherwise.
    public static func decodeNoPadding(_ text: String) -> [UInt8]? {
        Base64Codec.standard.decode(text.utf8)
    }
}
