import CLowering
import Foundation
import Testing
import WAT
import WasmDecoder
import WasmValidator
@testable import TestSupport

/// Source-level debugging: DWARF line tables read from a module (`DWARFLineTable`), the
/// `#line` directives they give its C, the native program's debug information, and trap
/// locations. The fixture is Fixtures/debug/average.c, built with -g (Scripts/build-fixtures)
/// in DWARF 4 (clang's default for wasm) and 5.
@Suite struct SourceLocationTests {
    static let folder = CommandRunner.fixtures.appendingPathComponent("debug")
    /// Lines of average.c: the loop's addition in `sum`, the division in `average` (inlined
    /// into `_start` by clang) and the call of `average` in `_start`.
    static let sumLine = 18, divideLine = 23, callLine = 29

    static func module(_ name: String) throws -> Module {
        try ModuleDecoder.decode(try BinaryFile.read(folder.appendingPathComponent(name).path))
    }

    static let haveGDB = CommandRunner.succeeds(["gdb", "--version"]) && CommandRunner.succeeds(["python3", "--version"])

    static func gdb(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.runUnblocked(["gdb", "-batch", "-nx"] + arguments, timeout: 120)
    }

    /// Rows as `llvm-dwarfdump --debug-line Fixtures/debug/average.wasm` lists them
    /// (addresses from the code section's payload, at 0x9a): line 0 is no line.
    @Test func readsTheLineTableAsLLVMDoes() throws {
        let module = try Self.module("average.wasm")
        let table = try #require(DWARFLineTable(module: module))
        let code = try #require(module.sections.first { $0.id == 10 }).range.lowerBound
        #expect(code == 0x9a)
        #expect(table.files.first == "average.c")
        let expected: [(address: Int, line: UInt32)] = [
            (0x03, 26), (0x1b, 27), (0x22, 27), (0x25, 28), (0x36, 29), (0x41, 30), (0x57, 29), (0x5a, 23), (0x62, 23),
            (0x65, 0), (0x67, 30), (0x68, 30), (0x6f, 31), (0x7e, 33), (0x8e, 34), (0x9a, 0),  // end of _start's sequence
            (0x9b, 15), (0xa6, 17), (0xa7, 17), (0xa9, 0), (0xc4, 18), (0xcb, 18), (0xcc, 0), (0xd4, 17), (0xe4, 17),
            (0xe8, 0), (0xec, 19), (0xed, 0),
        ]
        #expect(table.rows.map { $0.offset - code } == expected.map(\.address))
        #expect(table.rows.map(\.line) == expected.map(\.line))
        // The i32.div_s at module offset 0xfe (wasm-objdump -d) is on the division's line.
        #expect(table.location(at: 0xfe)?.file == "average.c")
        #expect(table.location(at: 0xfe)?.line == Self.divideLine)
        #expect(table.location(at: code + 0x65) == nil)
        #expect(table.location(at: code + 0x02) == nil)  // before the first row
        #expect(table.location(at: code + 0xee) == nil)  // past the last sequence
    }

    /// DWARF 5 names files through its own tables (and `.debug_line_str`); the rows are the same.
    @Test func readsDWARF5AsDWARF4() throws {
        let version4 = try #require(DWARFLineTable(module: try Self.module("average.wasm")))
        let version5 = try #require(DWARFLineTable(module: try Self.module("average-dwarf5.wasm")))
        let module5 = try Self.module("average-dwarf5.wasm")
        #expect(module5.customSections.contains { $0.name == ".debug_line_str" })
        #expect(version5.rows == version4.rows)
        #expect(version5.files.first == "average.c")
        #expect(version5.files.contains("/usr/include/wasm32-wasi/bits/alltypes.h"))
    }

    /// A line program whose header runs past its section is refused, and the module is
    /// then treated as having no line table.
    @Test func malformedLineTablesAreIgnored() throws {
        var bytes = try BinaryFile.read(Self.folder.appendingPathComponent("average.wasm").path)
        let module = try ModuleDecoder.decode(bytes)
        let lines = try #require(module.customSections.first { $0.name == ".debug_line" })
        // unit_length past the section's end
        bytes.replaceSubrange(lines.range.lowerBound..<lines.range.lowerBound + 4, with: [0xf0, 0xff, 0xff, 0x0f])
        #expect(DWARFLineTable(module: try ModuleDecoder.decode(bytes)) == nil)
    }

    /// Line programs with bytes changed at random (a fixed sequence) are read or refused,
    /// never crash: the section comes from the module, which may be anything.
    @Test func mutatedLineProgramsNeverCrash() throws {
        for name in ["average.wasm", "average-dwarf5.wasm"] {
            let module = try Self.module(name)
            let lines = try #require(module.customSections.first { $0.name == ".debug_line" }).range
            let code = try #require(module.sections.first { $0.id == 10 }).range
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            func next() -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(truncatingIfNeeded: state >> 33)
            }
            for _ in 0..<3000 {
                var bytes = module.bytes
                for _ in 0..<(1 + next() % 4) { bytes[lines.lowerBound + next() % lines.count] = UInt8(truncatingIfNeeded: next()) }
                _ = try? DWARFLineTable(bytes: bytes, debugLine: lines, code: code)
            }
        }
    }

    static func lowered(_ module: Module) throws -> String {
        let validated = try Validator.validate(module)  // its own copy of the bytes
        return try CLowering.lower(validated, options: LoweringOptions(prefix: "m")).filter { $0.name.contains("-funcs-") }
            .map(\.contents).joined()
    }

    /// Every line of a function's C gets its source line, or without DWARF 1 + its wasm
    /// instruction's byte offset from the function's body (what trap sites then name, see
    /// WK_SITE; relative, so that other functions' changes leave this C as it is).
    @Test func theCCarriesLineDirectives() throws {
        let module = try Self.module("average.wasm")
        #expect(CLowering.hasSourceLines(module))
        let c = try Self.lowered(module)
        #expect(c.contains("#line 15 \"average.c\"\n#undef WK_SITE\n#line 15\n#define WK_SITE WK_SITE_SOURCE("))
        #expect(c.contains("#line 15\nWK_FUNCTION uint32_t m__f3_sum("))
        #expect(c.contains("#line \(Self.divideLine)\n    s1i = wk_i32_div_s("))
        #expect(c.contains("#line \(Self.sumLine)\n"))
        // Without DWARF: the offsets, in a file named after the module and the function.
        let bytes = try wat2wasm("(module (func (export \"f\") (result i32) (i32.div_s (i32.const 1) (i32.const 0))))")
        let plain = try ModuleDecoder.decode(bytes)
        #expect(!CLowering.hasSourceLines(plain))
        let divide = try #require(bytes.lastIndex(of: 0x6D))  // i32.div_s, before the body's `end`
        #expect(bytes[divide + 1] == 0x0B)
        let plainC = try Self.lowered(plain)
        #expect(plainC.contains(#/#line \d+ "m.wasm#0"\n#undef WK_SITE\n#line \d+\n#define WK_SITE WK_SITE_OFFSET\(/#))
        #expect(plainC.contains("#line \(1 + divide - plain.codes[0].offset)\n    s0i = wk_i32_div_s("), "\(plainC)")
    }

    /// `emit-c`'s Makefile compiles a module with source lines with -g.
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"))
    func emitCMakefileAddsDebugInformation() throws {
        let scratch = try ScratchFolder()
        let output = scratch.url.appendingPathComponent("c").path
        let result = try ToolchainTesting.wasmkiln(["emit-c", Self.folder.appendingPathComponent("average.wasm").path, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let makefile = try String(contentsOfFile: output + "/Makefile", encoding: .utf8)
        #expect(makefile.contains("DEBUG_CFLAGS = -g\n"))
        #expect(makefile.contains("$(CC) $(DEBUG_CFLAGS) $(CFLAGS)"))
    }

    /// The native program has the original source's lines: gdb stops at a breakpoint set
    /// by average.c's line, in the function of that line, called from `_start`'s line.
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"),
          .enabled(if: haveGDB || ProcessInfo.processInfo.environment["CI"] != nil, "needs gdb (apt-get install gdb) and python3"),
          arguments: ["-O0", "-O2"])
    func gdbStopsAtABreakpointOnAnOriginalSourceLine(level: String) throws {
        let scratch = try ScratchFolder()
        let app = scratch.url.appendingPathComponent("average").path
        let build = try ToolchainTesting.wasmkiln(["build", Self.folder.appendingPathComponent("average.wasm").path, "-o", app, level])
        #expect(build.status == 0, "\(build.stderr)")
        let result = try Self.gdb(["-ex", "break average.c:\(Self.sumLine)", "-ex", "run", "-ex", "bt", app])
        #expect(result.stdout.contains("Breakpoint 1 at "), "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(#/Breakpoint 1(\.\d+)?, average__f3_sum \(.*\) at \S*average\.c:18\n/#),
                "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(#/#0  average__f3_sum \(.*\) at \S*average\.c:18\n/#), "\(result.stdout)")
        #expect(result.stdout.contains(#/#1  .*average__f2__start \(.*\) at \S*average\.c:23\n/#), "\(result.stdout)")
    }

    /// A module with DWARF names the source line of a trap (average.c's division, clang
    /// inlined `average` into `_start`) at every level, in both bounds modes.
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"),
          arguments: ["-O0", "-O2"], ["guard", "explicit"])
    func trapsNameTheirSourceLine(level: String, boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = scratch.url.appendingPathComponent("average").path
        let build = try ToolchainTesting.wasmkiln(["build", Self.folder.appendingPathComponent("average.wasm").path, "-o", app,
                                                   level, "--bounds-checks", boundsChecks])
        try #require(build.status == 0, "\(build.stderr)")
        let result = try ExecutableTesting.run(app, ["1", "2", "3", "4"])
        #expect(result.status == 134)
        #expect(result.stderr == "trap: integer divide by zero\n  in func 2 (_start) at average.c:\(Self.divideLine)\n")
    }

    /// Small functions called once, which gcc inlines at -O2 and -O3 (before trap sites,
    /// the PC-based lookup named the caller, `_start`, for the division and the conversion).
    static let inlined = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func $divide (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
          (func $fill (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 100)))
          (func $truncate (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func $bottom (unreachable))
          (func (export "_start") (local $argc i32)
            (drop (call $sizes (i32.const 0) (i32.const 4)))
            (local.set $argc (i32.load (i32.const 0)))
            (if (i32.eq (local.get $argc) (i32.const 1)) (then (drop (call $divide (i32.const 0)))))
            (if (i32.eq (local.get $argc) (i32.const 2)) (then (call $fill (i32.const 65500))))
            (if (i32.eq (local.get $argc) (i32.const 3)) (then (drop (call $truncate (f32.const nan)))))
            (call $bottom)))
        """

    /// A trap of the generated code names the wasm function it is in, also where the C
    /// compiler inlined that function into its caller.
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"),
          arguments: ["-O2", "-O3"], ["guard", "explicit"])
    func trapsNameTheInlinedFunction(level: String, boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = try ExecutableTesting.build(Self.inlined, in: scratch, options: [level, "--bounds-checks", boundsChecks])
        // The offsets are the instructions' (`wasm-tools print --print-offsets`).
        for (arguments, expected) in [([], "integer divide by zero\n  in func 1 (divide) at offset 0x78"),
                                      (["x"], "out of bounds memory access\n  in func 2 (fill) at offset 0x83"),
                                      (["x", "y"], "invalid conversion to integer\n  in func 3 (truncate) at offset 0x8b"),
                                      (["x", "y", "z"], "unreachable\n  in func 4 (bottom) at offset 0x8f")] {
            let result = try ExecutableTesting.run(app, arguments)
            #expect(result.status == 134)
            #expect(result.stderr == "trap: \(expected)\n", "\(level) \(boundsChecks) \(arguments)")
        }
    }

    /// Accesses into a guard page and a recursion into the stack's guard, each in a small
    /// function the C compiler may inline into `_start`.
    static let faulting = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func $peek (param i32) (result i32) (i32.load offset=4 (local.get 0)))
          (func $poke (param i32) (i64.store16 (local.get 0) (i64.const 7)))
          (func $recurse (param i32) (result i32) (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (local.get 0)))
          (func (export "_start") (local $argc i32)
            (drop (call $sizes (i32.const 0) (i32.const 4)))
            (local.set $argc (i32.load (i32.const 0)))
            (if (i32.eq (local.get $argc) (i32.const 1)) (then (drop (call $peek (i32.const 65534)))))
            (if (i32.eq (local.get $argc) (i32.const 2)) (then (call $poke (i32.const -1))))
            (drop (call $recurse (i32.const 0)))))
        """

    /// A fault names its wasm function and instruction as an explicit check does: the
    /// executable's line table (its C's offset directives, compiled with -g1) has the
    /// faulting instruction's row, in a file per function, so that a function the C
    /// compiler inlined is named too. A stack overflow faults in the recursing function's
    /// entry or at its call, by level.
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"),
          arguments: ["-O0", "-O2", "-O3"], ["guard", "explicit"])
    func faultsNameTheirInstruction(level: String, boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = try ExecutableTesting.build(Self.faulting, in: scratch, options: [level, "--bounds-checks", boundsChecks])
        // wasm-tools print --print-offsets: i32.load at 0x70, i64.store16 at 0x7a.
        for (arguments, expected) in [([], "out of bounds memory access\n  in func 1 (peek) at offset 0x70\n"),
                                      (["x"], "out of bounds memory access\n  in func 2 (poke) at offset 0x7a\n")] {
            let result = try ExecutableTesting.run(app, arguments)
            #expect(result.status == 134)
            #expect(result.stderr == "trap: \(expected)", "\(level) \(boundsChecks) \(arguments)")
        }
        let overflow = try ExecutableTesting.run(app, ["x", "y"])
        #expect(overflow.status == 134)
        // The body starts at 0x7e (the function's own line), its call is at 0x85.
        #expect(overflow.stderr.wholeMatch(of: #/trap: call stack exhausted\n  in func 3 \(recurse\) at offset 0x(7e|85)\n/#) != nil,
                "\(level) \(boundsChecks): \(overflow.stderr)")
        // Without line tables, a fault is named by its address alone.
        if boundsChecks == "guard" && level == "-O0" {
            let stripped = scratch.url.appendingPathComponent("stripped").path
            try #require(CommandRunner.run(["strip", "-o", stripped, app], executable: URL(fileURLWithPath: "/usr/bin/env")).status == 0)
            let result = try ExecutableTesting.run(stripped, ["x"])
            #expect(result.stderr == "trap: out of bounds memory access\n  in func 2 (poke)\n")
        }
    }

    /// The typed C API's `wk_result.function` names the inlined function too, also for a
    /// fault (through the line table of the program the library is linked into).
    @Test(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime embedded"))
    func libraryTrapsNameTheInlinedFunction() throws {
        let scratch = try ScratchFolder()
        let source = try scratch.write("inl.wat", text: """
            (module
              (memory 1)
              (func $divide (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
              (func $peek (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "run") (param i32) (result i32) (i32.add (call $divide (local.get 0)) (i32.const 1)))
              (func (export "load") (param i32) (result i32) (i32.add (call $peek (local.get 0)) (i32.const 1))))
            """)
        let folder = scratch.url.appendingPathComponent("lib").path
        let build = try ToolchainTesting.wasmkiln(["build", "--lib", source, "--name", "inl", "-o", folder, "-O2"])
        #expect(build.status == 0, "\(build.stderr)")
        let program = try scratch.write("main.c", text: """
            #include "inl.h"
            #include <stdio.h>
            int main(void) {
                inl *inst = inl_new(&(inl_imports){0}, NULL, NULL);
                uint32_t value;
                wk_result result = inl_try_run(inst, 0, &value);
                char where[64];
                printf("%s in %s at %s\\n", result.message, result.function, wk_trap_site_text(result.site, where, sizeof where));
                result = inl_try_load(inst, 65535, &value);
                printf("%s in %s at %s\\n", result.message, result.function, wk_trap_site_text(result.site, where, sizeof where));
                inl_free(inst);
                return 0;
            }
            """)
        let executable = scratch.url.appendingPathComponent("main").path
        let compile = try LibraryTests.shell("$CC -O2 \(program) -I\(folder) -L\(folder) -linl -lwasmkiln-rt -lm -lpthread -o \(executable)")
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try CommandRunner.run(program: executable, arguments: [])
        // wasm-tools print --print-offsets
        #expect(run.stdout == "integer divide by zero in func 0 (divide) at offset 0x35\n"
                    + "out of bounds memory access in func 1 (peek) at offset 0x3b\n", "\(run.stderr)")
    }
}
