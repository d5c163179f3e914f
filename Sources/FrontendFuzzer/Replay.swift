#if !FUZZING
import Foundation

/// Without `-DFUZZING` (a plain `swift build`): checks the files given, or every file in
/// the folders given, e.g. a fuzzing corpus or a crash file, and reports what broke.
///
///     swift run FrontendFuzzer .build-fuzz/corpus crash-1234
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
            print("usage: FrontendFuzzer FILE|FOLDER...  (checks each input as the fuzzer does)")
            exit(arguments.isEmpty ? 1 : 0)
        }
        var counts: [Outcome: Int] = [:]
        var failures = 0
        var slowest: (seconds: Double, path: String) = (0, "")
        CrashReport.install()
        for path in arguments.flatMap(inputs(at:)) {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                failures += 1
                continue
            }
            CrashReport.current(path)
            let start = ContinuousClock.now
            let result = FrontendCheck.run([UInt8](data))
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            if seconds > slowest.seconds { slowest = (seconds, path) }
            switch result {
            case .success(let outcome): counts[outcome, default: 0] += 1
            case .failure(let violation):
                print("\(path): \(violation)")
                failures += 1
            }
        }
        let total = counts.values.reduce(failures, +)
        print("""
            \(total) inputs: \(counts[.malformed] ?? 0) malformed, \(counts[.invalid] ?? 0) invalid, \
            \(counts[.lowered] ?? 0) lowered to C, \(counts[.unsupported] ?? 0) refused as not supported yet, \
            \(counts[.pastLimits] ?? 0) refused past the lowering limits, \
            \(failures) failed; slowest \(String(format: "%.3f", slowest.seconds)) s (\(slowest.path))
            """)
        exit(failures == 0 ? 0 : 1)
    }

    /// The path itself, or the regular files under a folder, sorted.
    static func inputs(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return files.map { (path as NSString).appendingPathComponent($0) }
            .filter { var folder: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &folder) && !folder.boolValue }
            .sorted()
    }
}
#endif
