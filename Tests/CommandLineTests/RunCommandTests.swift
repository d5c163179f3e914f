import Foundation
import Testing
import WAT
@testable import WasmKilnCLI
@testable import TestSupport

/// `wasmkiln run`, `build` and `emit-c` as a person would use them.
@Suite struct RunCommandTests {
    let add = ToolchainTesting.fixture("add.wat"), fib = ToolchainTesting.fixture("fib.wat")

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandRunner.Result {
        try ToolchainTesting.wasmkiln(arguments, environment: environment)
    }

    /// `--version`, also in `inspect --json`; usage errors exit 64 naming the value, and a
    /// size that is not whole pages is refused with the nearest sizes that are.
    @Test func versionAndUsageErrors() throws {
        let version = try run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("wasmkiln ") && version.stdout.hasSuffix("\n"), "\(version.stdout)")
        let summary = try run(["inspect", "--json", fib])
        #expect(summary.stdout.contains("\"tool\" : \"\(version.stdout.dropLast())\""), "\(summary.stdout)")

        for command in [["run", "--max-memory", "100000", fib], ["build", fib, "-o", "/nonexistent/x", "--max-memory=100000"]] {
            let result = try run(command)
            #expect(result.status == 64, "\(command)")
            #expect(result.stderr.contains("--max-memory '100000' is not a whole number of 64 KiB pages: the nearest sizes are 65536 (64KiB) and 131072 (128KiB)"), "\(result.stderr)")
        }
        let notASize = try run(["run", "--max-memory=lots", fib])
        #expect(notASize.status == 64)
        #expect(notASize.stderr.contains("'lots' is not a memory size"), "\(notASize.stderr)")
        let tooSmall = try run(["run", "--max-memory", "1KiB", fib])
        #expect(tooSmall.status == 64 && tooSmall.stderr.contains("'1KiB' is less than one 64 KiB page"), "\(tooSmall.stderr)")
        let bounds = try run(["run", "--bounds-checks", "sometimes", fib])
        #expect(bounds.status == 64 && bounds.stderr.contains("sometimes"), "\(bounds.stderr)")
    }

    /// `run` finds FILE by skipping its options, and the values of those that take one: its
    /// list of them must be every option `run` has (as argument-parser describes it), less
    /// --memory-stats, whose value is optional and read on its own.
    @Test func runKnowsWhichOptionsTakeAValue() throws {
        let dump = try run(["run", "--experimental-dump-help"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        var options: Set<String> = []
        for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
            for name in argument["names"] as? [[String: Any]] ?? [] {
                let text = name["name"] as? String ?? ""
                options.insert(name["kind"] as? String == "short" ? "-" + text : "--" + text)
            }
        }
        #expect(options.subtracting(["--memory-stats"]) == Run.valueOptions)
    }

    @Test func invokesExportsInOrder() throws {
        let result = try run(["run", fib, "--invoke", "fib_recursive 20", "--invoke", "fib_iterative 90",
                              "--invoke", "fib_iterative 0"])
        #expect(result.stderr.isEmpty)
        #expect(result.status == 0)
        #expect(result.stdout == "i32 6765\ni64 2880067194370816120\ni64 0\n")
    }

    @Test func argumentsInEveryForm() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("values.wat", text: """
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "id32") (param f32) (result f32) (local.get 0))
              (func (export "id64") (param f64) (result f64) (local.get 0))
              (func (export "pair") (param i64) (result i64 f64) (local.get 0) (f64.const -0.0)))
            """)
        let result = try run(["run", path, "--invoke", "add 0x10 -1", "--invoke", "id32 f32:0x7fc00001",
                              "--invoke", "id32 -nan", "--invoke", "id64 -inf", "--invoke", "id64 0.1",
                              "--invoke", "pair 0xffffffffffffffff"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 15\nf32 nan:0x400001\nf32 -nan\nf64 -inf\nf64 0.1\ni64 -1\nf64 -0.0\n")
    }

    @Test func trapsPrintAndTheRunGoesOn() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("traps.wat", text: """
            (module
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func (export "boom") unreachable))
            """)
        let result = try run(["run", path, "--invoke", "div 1 0", "--invoke", "boom", "--invoke", "div -7 2",
                              "--invoke", "div -2147483648 -1"])
        #expect(result.exited)
        #expect(result.status == 2)
        #expect(result.stdout == "trap: integer divide by zero\ntrap: unreachable\ni32 -3\ntrap: integer overflow\n")
    }

    @Test func oneInstanceForAllCalls() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("counter.wat", text: """
            (module (global $n (mut i32) (i32.const 0))
              (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
            """)
        let result = try run(["run", path, "--invoke", "next", "--invoke", "next", "--invoke", "next"])
        #expect(result.stdout == "i32 1\ni32 2\ni32 3\n")
    }

    @Test func binaryModulesAndExplicitBoundsChecks() throws {
        let scratch = try ScratchFolder()
        let text = try String(contentsOfFile: add, encoding: .utf8)
        let path = try scratch.write("add.wasm", try wat2wasm(text))
        let result = try run(["run", path, "--bounds-checks", "explicit", "-O0", "--invoke", "add 2 3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 5\n")
    }

    @Test func malformedModule() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("bad.wasm", [0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00])
        let result = try run(["run", path, "--invoke", "f"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("\(path): "))
        #expect(result.stderrLines.count == 1)
    }

    @Test func invalidModule() throws {
        let path = ToolchainTesting.fixture("invalid-type-mismatch.wat")
        let result = try run(["run", path, "--invoke", "half 1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("type mismatch"))
    }

    @Test func missingExport() throws {
        let result = try run(["run", add, "--invoke", "add 1 2", "--invoke", "sub 1 2"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "nothing runs when a call cannot")
        #expect(result.stderr == "\(add): no export named \"sub\"\n")
    }

    @Test func wrongArguments() throws {
        let count = try run(["run", add, "--invoke", "add 1"])
        #expect(count.status == 1)
        #expect(count.stderr == "\(add): \"add\" takes 2 arguments (i32 i32), 1 given\n")

        let type = try run(["run", add, "--invoke", "add 1 2.5"])
        #expect(type.status == 1)
        #expect(type.stderr == "\(add): \"add\" argument 2: '2.5' is not an i32\n")

        let memory = try run(["run", fib, "--invoke", "memory"])
        #expect(memory.status == 1)
        #expect(memory.stderr == "\(fib): export \"memory\" is a memory, not a function\n")
    }

    @Test func modulesWithImportsCannotRun() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("imports.wat", text: "(module (import \"env\" \"print\" (func (param i32))))")
        let result = try run(["run", path])
        #expect(result.status == 1)
        #expect(result.stderr == "\(path): cannot run a module with imports: it imports func \"env\" \"print\"\n")
    }

    @Test func compilerErrorsAreReported() throws {
        let result = try run(["run", add, "--invoke", "add 1 2"], environment: ["CC": "/nonexistent/cc"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("C compiler '/nonexistent/cc' not found"))
    }

    @Test func emitCWritesSourcesAndHeaders() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.url.appendingPathComponent("out")
        let result = try run(["emit-c", add, "-o", folder.path, "--name", "adder"])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains("adder.h"))
        #expect(names.contains("wasmkiln.h"))
        #expect(names.contains("wasmkiln-gen.h"))
        #expect(names.contains { $0.hasSuffix(".c") })
        let header = try String(contentsOf: folder.appendingPathComponent("adder.h"), encoding: .utf8)
        #expect(header.contains("wk_module_adder"))

        let badName = try run(["emit-c", add, "-o", folder.path, "--name", "9lives"])
        #expect(badName.status != 0)
    }

    /// `make` in emit-c's folder builds it with no WasmKiln: a WASI command becomes an
    /// executable that runs as `wasmkiln build`'s does, any module a static library with
    /// the runtime in it; a C program links that library and calls the module.
    @Test func emitCFoldersBuildWithMake() throws {
        let scratch = try ScratchFolder()
        let hello = try scratch.write("hello.wat", text: ExecutableTesting.hello)
        let command = scratch.url.appendingPathComponent("hello")
        #expect(try run(["emit-c", hello, "-o", command.path]).status == 0)
        let make = URL(fileURLWithPath: "/usr/bin/make")
        let built = try CommandRunner.run(["-C", command.path, "-j2"], executable: make)
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        let ran = try CommandRunner.run([], executable: command.appendingPathComponent("hello"))
        #expect(ran.status == 3 && ran.stdout == "hello\n", "\(ran.status) \(ran.stdout) \(ran.stderr)")

        let library = scratch.url.appendingPathComponent("adder")
        #expect(try run(["emit-c", add, "-o", library.path, "--name", "adder"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: library.appendingPathComponent("adder-main.c").path))
        let main = try scratch.write("main.c", text: """
            #include "adder.h"
            #include <stdio.h>
            int main(void) {
                wk_error error;
                wk_instance *instance = wk_module_adder.instantiate(NULL, &error);
                if (!instance) return 1;
                printf("%s\\n", wk_module_adder.get_export(instance, "add", 3, &(wk_extern){0}) ? "found add" : "no add");
                wk_module_adder.free(instance);
                return 0;
            }
            """)
        #expect(try CommandRunner.run(["-C", library.path, "-j2"], executable: make).status == 0)
        let program = scratch.url.appendingPathComponent("program").path
        let linked = try CommandRunner.run(["-I", library.path, main, library.appendingPathComponent("libadder.a").path,
                                            "-lm", "-lpthread", "-o", program], executable: URL(fileURLWithPath: "/usr/bin/cc"))
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(try CommandRunner.run([], executable: URL(fileURLWithPath: program)).stdout == "found add\n")
    }

    /// A unit with SIMD includes wasmkiln-simd.h; `--relaxed-simd native` asks it for
    /// the host's instructions, and v128 arguments and results use the spec's lane notation.
    @Test func simdUnitsAndRelaxedMode() throws {
        let scratch = try ScratchFolder()
        let module = try scratch.write("lanes.wat", text: """
            (module
              (func (export "min") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
              (func (export "plain") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
            """)
        func units(_ extra: [String]) throws -> String {
            let folder = scratch.url.appendingPathComponent("out\(extra.count)")
            let result = try run(["emit-c", module, "-o", folder.path] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".c") }
                .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined()
        }
        let deterministic = try units([])
        #expect(deterministic.components(separatedBy: "#include \"wasmkiln-simd.h\"").count == 2)
        #expect(!deterministic.contains("WK_RELAXED_NATIVE"))
        #expect(try units(["--relaxed-simd", "native"]).contains("#define WK_RELAXED_NATIVE 1\n#include \"wasmkiln-simd.h\""))

        let call = try run(["run", "--invoke", "min f32x4 1 nan -0 2 v128 f32x4 0.5 3 0 -inf", module])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(call.stdout == "v128 i32x4 0x3f000000 0x7fc00000 0x80000000 0xff800000\n")
    }

    @Test func buildsASelfContainedSharedLibrary() throws {
        let scratch = try ScratchFolder()
        let library = scratch.url.appendingPathComponent("libadd.so")
        let result = try run(["build", add, "--shared", "-o", library.path, "-O1", "--jobs", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        // The entry point is defined, and nothing of the runtime is left to find elsewhere.
        let symbols = try Self.dynamicSymbols(library)
        #expect(symbols.defined.contains("wk_module_add"))
        #expect(symbols.defined.contains("wk_call_protected"))
        #expect(!symbols.undefined.contains { $0.hasPrefix("wk_") })

        let notShared = try run(["build", add, "-o", library.path])
        #expect(notShared.status != 0)
        #expect(notShared.stderr.contains("--shared"))
    }

    /// `nm -D`: the names a shared library defines and the ones it needs.
    static func dynamicSymbols(_ library: URL) throws -> (defined: Set<String>, undefined: Set<String>) {
        let output = try ToolchainTesting.output(of: "nm", ["-D", library.path])
        var defined = Set<String>(), undefined = Set<String>()
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let name = fields.last.map(String.init), fields.count >= 2 else { continue }
            if fields[fields.count - 2] == "U" { undefined.insert(name) } else { defined.insert(name) }
        }
        return (defined, undefined)
    }
}
