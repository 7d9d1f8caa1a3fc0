/// Free text a person reads back (a display name, a description, a reason): any
/// printable Unicode, but no character that changes how the text *around* it reads
/// when it is shown. Control characters (C0 but tab and newline, which the protocol
/// escapes as `\t` and `\n`; DEL; C1, NEL included), the line and
/// paragraph separators, and the bidirectional formatting characters (RLO and its
/// kin, the "Trojan Source" characters of CVE-2021-42574) are refused, so that a
/// reply, an audit entry or a terminal never shows text in another order than stored.
public enum DisplayText {
    public static func isValid(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: isRefused)
    }

    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false  // escaped in every reply
        case 0x00...0x1F, 0x7F...0x9F: true  // C0, DEL, C1
        case 0x200E, 0x200F, 0x061C: true  // LRM, RLM, ALM
        case 0x202A...0x202E, 0x2066...0x2069: true  // embeddings, overrides, isolates
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: false
        }
    }
}
