import Foundation

/// This test binary run again as a child, for jobs that need another environment than
/// the test process (a preloaded sanitizer runtime, another C compiler).
enum TestChild {
    /// Runs the tests `filter` selects with `environment` merged into ours; returns
    /// whether the child exited 0, and its output (stdout and stderr, through a file).
    static func run(filter: String, environment overrides: [String: String], log name: String) throws -> (passed: Bool, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(overrides) { $1 }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        return (process.terminationReason == .exit && process.terminationStatus == 0, output)
    }

    /// The last lines of a child's output, for a report.
    static func tail(_ output: String, lines: Int = 60) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
