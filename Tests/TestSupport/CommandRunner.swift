import Foundation
import Testing

/// Runs the built `wasmkiln` executable the way a person would, and collects what it printed.
struct CommandRunner {
    struct Result {
        var status: Int32
        /// False when the process died from a signal (a crash), not an exit.
        var exited: Bool
        var stdout: String
        var stderr: String
        /// Whether it was stopped for running past its timeout.
        var timedOut = false
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The repository's `Fixtures/` folder.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Whether `arguments` (a command found on the PATH through `env`) runs and exits 0:
    /// for tests that need a peer tool.
    static func succeeds(_ arguments: [String]) -> Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = arguments
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }

    /// SwiftPM puts the executable beside the test product: in the bundle's folder on Linux,
    /// next to the `.xctest` bundle on macOS.
    static func executable() throws -> URL {
        let bundles = [Bundle.main] + Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }
        let folders = bundles.flatMap { [$0.bundleURL, $0.bundleURL.deletingLastPathComponent()] }
        let candidates = folders.map { $0.appendingPathComponent("wasmkiln") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "wasmkiln not found in \(folders.map(\.path))")
    }

    /// Runs `program` with `arguments`, as `argv0` when given (through bash's `exec -a`).
    static func run(program: String, argv0: String? = nil, arguments: [String]) throws -> Result {
        guard let argv0 else { return try run(arguments, executable: URL(fileURLWithPath: program)) }
        return try run(["-c", "exec -a \"$0\" \"$@\"", argv0, program] + arguments,
                       executable: URL(fileURLWithPath: "/bin/bash"))
    }

    static func run(_ arguments: [String]) throws -> Result {
        try run(arguments, executable: try executable())
    }

    /// Runs `arguments` (a command found on the PATH) with every signal unblocked, through
    /// python3: a test's thread may have SIGCHLD blocked, children inherit that, and a
    /// debugger then waits for its program forever.
    static func runUnblocked(_ arguments: [String], environment: [String: String]? = nil, timeout: Double? = nil)
        throws -> Result
    {
        let unblocking = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])"
        return try run(["python3", "-c", unblocking] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"),
                       environment: environment, timeout: timeout)
    }

    /// Runs `executable` with empty standard input; `environment` replaces ours when given.
    /// After `timeout` seconds it is stopped (SIGTERM) and the result says so.
    static func run(_ arguments: [String], executable: URL, environment: [String: String]? = nil,
                    timeout: Double? = nil) throws -> Result {
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-run-\(UUID())")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputs) }
        // Files, not pipes: a full pipe would block the child while we wait for it.
        let stdoutURL = outputs.appendingPathComponent("stdout")
        let stderrURL = outputs.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning {
                timedOut = true
                process.terminate()
            }
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            exited: process.terminationReason == .exit,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8),
            timedOut: timedOut)
    }
}

/// A scratch folder for files a test writes, removed when the test is done.
struct ScratchFolder: ~Copyable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-test-\(UUID())")

    init() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    func write(_ name: String, text: String) throws -> String {
        try write(name, Array(text.utf8))
    }
}
