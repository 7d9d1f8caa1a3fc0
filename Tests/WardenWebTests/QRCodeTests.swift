import Foundation
import Testing
import WardenTestSupport
@testable import WardenWeb

/// The encoder against an independent decoder: the SVG's path is painted into an image
/// by Python (Pillow) and read by zxing-cpp (PyPI; scripts/test installs both).
@Suite struct QRCodeTests {
    static let decoderAvailable = (try? Python.run(["-c", "import zxingcpp, PIL"], input: "").status) == 0

    @Test func reedSolomonMatchesTheStandardsExample() {
        // ISO/IEC 18004 Annex I: "01234567" at version 1-M.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = ReedSolomon.remainder(of: data, generator: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func capacitiesAtLevelMAreTheStandards() {
        // Byte-mode capacities of versions 1, 5, 7, 10 and 40 at M.
        for (version, bytes) in [(1, 14), (5, 84), (7, 122), (10, 213), (40, 2331)] {
            #expect(QRCode.fits(bytes, version: version), "version \(version)")
            #expect(!QRCode.fits(bytes + 1, version: version), "version \(version)")
        }
    }

    @Test func tooMuchDataIsAnError() {
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 214, maximumVersion: 10)) {
            try QRCode(bytes: [UInt8](repeating: 0x41, count: 214), maximumVersion: 10)
        }
    }

    @Test(.enabled(if: decoderAvailable), arguments: [
        ("HELLO", 1),
        (String(repeating: "warden-", count: 12), 5),
        ("otpauth://totp/Warden:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Warden&algorithm=SHA1&digits=6&period=30", 7),
        (String((0..<200).map { Character(UnicodeScalar(UInt8(33 + $0 % 90))) }), 10),
        ("Zoë & Łukasz — ünïcödé ✓", 3),
        (String(repeating: "0123456789abcdef", count: 40), 20),
    ])
    func anIndependentDecoderReadsWhatWasEncoded(text: String, version: Int) throws {
        let code = try QRCode(encoding: text)
        #expect(code.version == version)
        #expect(try QRCodeTests.decode(code.svg(label: "test")) == text)
    }

    @Test func theSVGHasAQuietZoneAndNoScript() throws {
        let svg = try QRCode(encoding: "HELLO").svg(label: "<x>").markup
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\""))
        #expect(svg.contains("aria-label=\"&lt;x&gt;\""))
        #expect(svg.contains("d=\"M4,4h7v1h-7z"))
        #expect(!svg.contains("script"))
    }

    /// What zxing-cpp reads from the image the SVG's path draws.
    static func decode(_ svg: HTML) throws -> String {
        try decode(svg: svg.markup)
    }

    public static func decode(svg: String) throws -> String {
        let script = """
            import re, sys, zxingcpp
            from PIL import Image, ImageDraw
            svg = sys.stdin.read()
            side = int(re.search(r'viewBox="0 0 (\\d+) \\d+"', svg).group(1))
            scale = 6
            image = Image.new("L", (side * scale, side * scale), 255)
            draw = ImageDraw.Draw(image)
            for x, y, run in re.findall(r'M(\\d+),(\\d+)h(\\d+)v1h-\\d+z', svg):
                x, y, run = int(x), int(y), int(run)
                draw.rectangle([x * scale, y * scale, (x + run) * scale - 1, (y + 1) * scale - 1], fill=0)
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            if not found: sys.exit("no QR code found")
            sys.stdout.buffer.write(found[0].bytes)
            """
        let result = try Python.run(["-c", script], input: svg)
        guard result.status == 0 else { throw DecodeFailure(message: result.stderr) }
        return result.stdout
    }

    struct DecodeFailure: Error {
        var message: String
    }
}
