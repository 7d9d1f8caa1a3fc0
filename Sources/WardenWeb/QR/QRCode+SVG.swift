/// The QR code as an SVG image to put in a page as it is: one `<path>` of the dark
/// modules (a run of dark modules in a row is one rectangle) on a white square with a
/// quiet zone of four modules. No script, no external reference: CSP `default-src 'self'` holds.
extension QRCode {
    public static let quietZone = 4

    /// `label` becomes the image's accessible name (escaped).
    public func svg(label: String) -> HTML {
        let side = size + 2 * QRCode.quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                var run = 1
                while x + run < size, isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + QRCode.quietZone),\(y + QRCode.quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let markup = """
            <svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 \(side) \(side)" role="img" aria-label="\(HTML(escaping: label).markup)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
        return HTML(trusted: markup)
    }
}
