import Foundation

/// Runs a program to completion without blocking a thread while it runs.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        /// False when the program died from a signal.
        var exited: Bool
        var stdout: String
        var stderr: String
    }

    /// Output goes to temporary files, not pipes: a pipe's write end can leak into another
    /// child spawned at the same moment and keep the pipe open after this one exits.
    static func run(_ executable: String, _ arguments: [String]) async throws(ToolchainError) -> Output {
        let folder = FileManager.default.temporaryDirectory
        let stdoutURL = folder.appendingPathComponent("wasmkiln-\(UUID().uuidString).out")
        let stderrURL = folder.appendingPathComponent("wasmkiln-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        let command = ([executable] + arguments).joined(separator: " ")
        do {
            try Data().write(to: stdoutURL)
            try Data().write(to: stderrURL)
            let stdout = try FileHandle(forWritingTo: stdoutURL)
            let stderr = try FileHandle(forWritingTo: stderrURL)
            defer {
                try? stdout.close()
                try? stderr.close()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = stdout
            process.standardError = stderr
            let (status, reason) = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { finished in
                    continuation.resume(returning: (finished.terminationStatus, finished.terminationReason))
                }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
            return Output(
                status: status, exited: reason == .exit,
                stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
                stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
        } catch {
            throw ToolchainError("cannot run \(command): \(error.localizedDescription)")
        }
    }
}
