/// Unpadded base64url (RFC 4648 §5) as JWS requires (RFC 7515 §2).
///
/// Decoding is strict per RFC 8725 so that a token has exactly one spelling:
/// anything `encode` would not have produced is refused.
public enum Base64URL {
    /// Encodes with the URL-safe alphabet and no `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64Codec.url.encode(bytes)
    }

    /// Decodes, or returns nil unless `text` uses only `A-Z a-z 0-9 - _`, has no
    /// padding or whitespace, has a length that is not 1 mod 4, and has zero unused
    /// low bits in its last character.
    public static func decodeStrict<Text: StringProtocol>(_ text: Text) -> [UInt8]? {
        Base64Codec.url.decode(text.utf8)
    }
}
