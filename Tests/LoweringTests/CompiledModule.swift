import Foundation
import Testing
import WAT
import WasmDecoder
import WasmValidator
import CLowering

/// Lowers a module to C and builds it, with the runtime and a C driver program,
/// into an executable: the backend tested without the toolchain driver.
struct CompiledModule {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let directory: URL
    /// What the lowering wrote.
    let fileNames: [String]

    /// `main` is C that uses `wk_module_m` (the module's entry point) and prints what it checks.
    init(wat: String, main: String, boundsChecks: BoundsChecks = .guardPages, largeFunctionSize: Int? = nil) throws {
        let bytes = try wat2wasm(wat, features: [.referenceTypes, .exceptionHandling], options: EncodeOptions(nameSection: true))
        let validated = try decodeAndValidate(bytes)
        let files = try CLowering.lower(validated, options: LoweringOptions(prefix: "m", boundsChecks: boundsChecks,
                                                                            largeFunctionSize: largeFunctionSize))
        fileNames = files.map(\.name)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-backend-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            try file.contents.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        try ("#include \"m.h\"\n#include <stdio.h>\n#include <inttypes.h>\n" + main)
            .write(to: directory.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
        let runtime = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Runtime/src").path)
            .filter { $0.hasSuffix(".c") }.map { Self.root.appendingPathComponent("Runtime/src/\($0)").path }
        let sources = files.filter { $0.name.hasSuffix(".c") }.map { directory.appendingPathComponent($0.name).path }
        let arguments = CLowering.requiredCFlags + ["-O1", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
            "-I", Self.root.appendingPathComponent("Runtime/include").path, "-I", directory.path,
            "-o", directory.appendingPathComponent("program").path,
            directory.appendingPathComponent("main.c").path] + sources + runtime + ["-lpthread", "-lm"]
        let result = try Self.run("/usr/bin/env", ["cc"] + arguments)
        if result.status != 0 { throw CompileError(description: result.output) }
    }

    struct CompileError: Error, CustomStringConvertible { var description: String }

    /// Runs the program: its exit status and standard output plus error.
    func run() throws -> (status: Int32, output: String) {
        try Self.run(directory.appendingPathComponent("program").path, [])
    }

    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-out-\(UUID())")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }
}
