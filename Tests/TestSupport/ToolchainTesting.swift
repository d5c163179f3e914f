import CLowering
import Foundation
import Testing
import Toolchain
import WAT
import WasmValidator

/// Shared pieces of the toolchain and `run` tests.
enum ToolchainTesting {
    /// One cache for the tests that need the runtime and modules built: content-addressed,
    /// so it can outlive a test run and make the next one faster. Tests about the cache
    /// itself use a fresh folder instead.
    static let cache = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-tests-cache")

    static func builder() async throws -> Builder {
        var environment = ProcessInfo.processInfo.environment
        environment["WASMKILN_CACHE"] = cache.path
        return try await Builder.fromEnvironment(environment: environment)
    }

    static func validated(_ text: String) throws -> ValidatedModule {
        try decodeAndValidate(try wat2wasm(text, features: [.referenceTypes, .simd]))
    }

    /// Compiles, loads and instantiates a module given as text.
    static func instantiate(_ text: String, imports: [Extern] = [],
                            boundsChecks: BoundsChecks = .guardPages) async throws -> Instance
    {
        let library = try await ModuleLibrary.load(try validated(text), boundsChecks: boundsChecks, builder: try await builder())
        return try library.instantiate(imports)
    }

    /// Runs `wasmkiln` with the tests' cache (or `environment` added to ours).
    static func wasmkiln(_ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil) throws
        -> CommandRunner.Result
    {
        let merged = ProcessInfo.processInfo.environment.merging(["WASMKILN_CACHE": cache.path]) { $1 }
            .merging(environment) { $1 }
        return try CommandRunner.run(arguments, executable: try CommandRunner.executable(), environment: merged,
                                     timeout: timeout)
    }

    /// What a program (found in PATH) prints to standard output.
    static func output(of program: String, _ arguments: [String]) throws -> String {
        let scratch = try ScratchFolder()
        let stdoutURL = scratch.url.appendingPathComponent("stdout")
        try Data().write(to: stdoutURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(program) failed")
        return try String(contentsOf: stdoutURL, encoding: .utf8)
    }

    static func fixture(_ name: String) -> String {
        CommandRunner.fixtures.appendingPathComponent(name).path
    }
}
