import Foundation

/// `python3`, for the independent implementations the interoperability tests check
/// Warden against (PyJWT, pyotp; scripts/test installs them).
public enum Python {
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ arguments: [String], input: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}

/// pyotp (PyPI), an independent TOTP implementation: the codes an authenticator app
/// would show for a secret.
public enum PyOTP {
    public static let isAvailable: Bool = {
        (try? Python.run(["-c", "import pyotp"], input: "").status) == 0
    }()

    /// The codes of `secret` (base32) at each Unix time, through `pyotp.TOTP.at`.
    public static func codes(_ secret: String, at times: [Int]) throws -> [String] {
        let script = "import pyotp, sys\ntotp = pyotp.TOTP(sys.argv[1])\nfor t in sys.argv[2:]: print(totp.at(int(t)))"
        let result = try Python.run(["-c", script, secret] + times.map(String.init), input: "")
        guard result.status == 0 else { throw PyOTPError(message: result.stderr) }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The current code of `secret` (pyotp's `now()`), with its Unix time.
    public static func code(_ secret: String, offset steps: Int = 0) throws -> String {
        try codes(secret, at: [Int(Date().timeIntervalSince1970) + steps * 30])[0]
    }

    /// `secret` from an `otpauth://` URI, as pyotp parses it (issuer, digits, period checked there).
    public static func parse(_ uri: String) throws -> [String: String] {
        let script = """
            import pyotp, sys, json
            t = pyotp.parse_uri(sys.argv[1])
            print(json.dumps({"secret": t.secret, "issuer": t.issuer, "name": t.name, "digits": str(t.digits), \
            "interval": str(t.interval), "digest": t.digest().name}))
            """
        let result = try Python.run(["-c", script, uri], input: "")
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String] else {
            throw PyOTPError(message: result.stderr)
        }
        return object
    }

    /// Waits, when needed, until at least `margin` seconds of the current 30-second step
    /// remain, so that a test's "this step" and "the step before" stay what they were
    /// when the codes were computed.
    public static func waitForFreshStep(margin: Int = 8) {
        let intoStep = Int(Date().timeIntervalSince1970) % 30
        if intoStep > 30 - margin { Thread.sleep(forTimeInterval: Double(30 - intoStep) + 0.2) }
    }
}

public struct PyOTPError: Error {
    public var message: String
}
