import CFuzzerDriver
import Foundation

/// Runs a fuzz target: under libFuzzer in a fuzzing build, or as a replayer otherwise.
///
/// SwiftPM gives every executable its own `main`, so libFuzzer's `main` never runs;
/// a fuzzing build therefore hands control to `LLVMFuzzerRunDriver` itself, which
/// reads libFuzzer's usual flags (`-max_total_time=`, `-runs=`, corpus folders …).
/// A plain build (no `-DFUZZING`, no sanitizer) calls the target once for every file
/// named on the command line, or in a folder named there: a quick way to replay a
/// corpus or a crash reproducer under the debugger.
public enum FuzzDriver {
    /// The signature libFuzzer calls: input bytes and their count; return 0.
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    public static func run(_ callback: Callback) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = withUnsafeMutablePointer(to: &argv) { LLVMFuzzerRunDriver(&argc, $0, callback) }
        exit(status)
        #else
        var replayed = 0
        for path in CommandLine.arguments.dropFirst() {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(2)
                }
                let bytes = [UInt8](data)
                _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
                replayed += 1
            }
        }
        print("replayed \(replayed) inputs without a failure")
        exit(0)
        #endif
    }

    /// `path` itself, or the regular files directly inside it when it is a folder.
    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }

    /// Copies libFuzzer's input into an array (an empty input has no base address).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let data, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// Stops the process with a message: the invariant a target checks did not hold.
    /// libFuzzer (and AddressSanitizer) report the crash and save the input.
    public static func violated(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError("invariant violated: \(message())", file: file, line: line)
    }
}
