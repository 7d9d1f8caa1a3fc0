import Foundation
import Testing
import WardenWeb

/// The QR encoder with a real `otpauth://` URI from `MFA ENROLL`, read back by zxing-cpp.
@Suite struct WebQRCodeTests {
    static let decoderAvailable = (try? Python.run(["-c", "import zxingcpp, PIL"], input: "").status) == 0
    static let shared = SharedWarden()

    @Test(.enabled(if: decoderAvailable)) func theEnrolmentURIRoundTripsThroughAnIndependentDecoder() throws {
        let server = try Self.shared.get()
        try Fixture.person("web-qr", on: server)
        let session = try server.connect()
        try session.ok("AUTH web-qr \(Fixture.password)")
        let uri = try #require(try session.ok("MFA ENROLL").value("uri"))
        #expect(uri.hasPrefix("otpauth://totp/"))
        let code = try QRCode(encoding: uri)
        #expect((5...8).contains(code.version), "version \(code.version) for \(uri.utf8.count) bytes")
        let svg = code.svg(label: "MFA enrolment QR code").markup
        let script = """
            import re, sys, zxingcpp
            from PIL import Image, ImageDraw
            svg = sys.stdin.read()
            side = int(re.search(r'viewBox="0 0 (\\d+) \\d+"', svg).group(1))
            image = Image.new("L", (side * 5, side * 5), 255)
            draw = ImageDraw.Draw(image)
            for x, y, run in re.findall(r'M(\\d+),(\\d+)h(\\d+)v1h-\\d+z', svg):
                x, y, run = int(x), int(y), int(run)
                draw.rectangle([x * 5, y * 5, (x + run) * 5 - 1, y * 5 + 4], fill=0)
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            sys.stdout.write(found[0].text if found else "")
            """
        let decoded = try Python.run(["-c", script], input: svg)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout == uri)
    }
}
