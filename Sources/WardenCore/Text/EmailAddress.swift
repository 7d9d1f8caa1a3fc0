/// What Warden accepts as an e-mail address: the WHATWG HTML "valid e-mail address"
/// (what a browser's `<input type=email>` accepts, and what an HR system exports), at
/// most 254 bytes (RFC 5321's path limit less the brackets). Internationalised domains
/// are accepted in their ASCII (punycode) form only, so that two spellings cannot name
/// one mailbox. The empty string means "no address".
public enum EmailAddress {
    public static let maximumBytes = 254

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64, local.allSatisfy(isLocalByte) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return !domain.isEmpty && labels.allSatisfy(isLabel)
    }

    /// `atext` and the dot of the HTML definition.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || Array(".!#$%&'*+/=?^_`{|}~-".utf8).contains(byte)
    }

    /// 1–63 letters, digits and inner hyphens.
    private static func isLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last) && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
