import Foundation
import Synchronization

/// The system C compiler: `$CC` (which may be a wrapper command such as `ccache gcc`)
/// or `cc`, with an identity string for cache keys.
public struct CCompiler: Sendable, Hashable {
    /// The command's words, the first resolved to an absolute path.
    public let command: [String]
    /// The resolved path and the compiler's `--version` text: a different compiler, or
    /// the same one upgraded, must not reuse cached objects.
    public let identity: String

    public init(command: [String], identity: String) {
        self.command = command
        self.identity = identity
    }

    /// The compiler `$CC` names, else `cc`. Looked up once per process and command.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws(ToolchainError) -> CCompiler
    {
        let words = splitFlags(environment["CC"] ?? "")
        let requested = words.isEmpty ? ["cc"] : words
        if let known = found.withLock({ $0[requested] }) { return known }
        guard let path = resolve(requested[0], path: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw ToolchainError("C compiler '\(requested[0])' not found in PATH; set CC to a C compiler")
        }
        let command = [path] + requested.dropFirst()
        let version = try await ProcessRunner.run(path, Array(command.dropFirst()) + ["--version"])
        guard version.exited, version.status == 0 else {
            throw ToolchainError("'\(requested.joined(separator: " ")) --version' failed: \(version.stderr)")
        }
        let compiler = CCompiler(command: command, identity: "\(command.joined(separator: " "))\n\(version.stdout)")
        found.withLock { $0[requested] = compiler }
        return compiler
    }

    private static let found = Mutex<[[String]: CCompiler]>([:])

    /// Whether this is GCC (by its `--version` text), which takes GCC's own `-f` flags.
    public var isGCC: Bool {
        identity.contains("Free Software Foundation") && !identity.contains("clang")
    }

    /// Splits `$CC` or `$CFLAGS` on whitespace (no shell quoting, like make's default use).
    public static func splitFlags(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    static func resolve(_ name: String, path: String) -> String? {
        let manager = FileManager.default
        if name.contains("/") {
            return manager.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name).path : nil
        }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs the compiler with `arguments`; a failure carries the first lines it printed.
    /// `log` sees the command line first (`--verbose`).
    func run(_ arguments: [String], what: String, log: (@Sendable (String) -> Void)? = nil) async throws(ToolchainError) {
        log?(Self.commandLine(command + arguments))
        let output = try await ProcessRunner.run(command[0], Array(command.dropFirst()) + arguments)
        guard output.exited, output.status == 0 else {
            let lines = output.stderr.split(separator: "\n")
            var text = lines.prefix(40).joined(separator: "\n")
            if lines.count > 40 { text += "\n... (\(lines.count - 40) more lines)" }
            let status = output.exited ? "exit status \(output.status)" : "signal \(output.status)"
            throw ToolchainError("""
                C compiler failed (\(status)) \(what):
                \(Self.commandLine(command + arguments))
                \(text)
                """)
        }
    }

    /// Words as a shell would need them: quoted where they hold anything but plain
    /// characters.
    static func commandLine(_ words: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+,:@%")
        return words.map { word in
            !word.isEmpty && word.allSatisfy(plain.contains) ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// `-O0` … `-O3`.
public enum OptimizationLevel: String, Sendable, CaseIterable {
    case o0 = "0", o1 = "1", o2 = "2", o3 = "3"

    public var flag: String { "-O\(rawValue)" }

    /// What `build` and `run` use unless told otherwise.
    public static let `default`: OptimizationLevel = .o2
}
