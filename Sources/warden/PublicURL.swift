/// `--public-url`: an absolute `http` or `https` URL with a host, and no query, fragment,
/// credentials, white space or control characters, stored without a trailing `/` so
/// that paths can be appended to it.
enum PublicURL {
    static func normalised(_ text: String) -> String? {
        guard text.utf8.count <= 2048, let scheme = ["https://", "http://"].first(where: text.lowercased().hasPrefix) else { return nil }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        let rest = url.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" }
        guard !host.isEmpty, !host.contains("@"),
              !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "?#\"<>\\^`{|}".unicodeScalars.contains($0) })
        else { return nil }
        return url
    }
}
