import Foundation
import Testing
@testable import TestSupport

/// `wasmkiln build` without `--shared`, the executables it makes, and `wasmkiln run` for
/// WASI commands.
@Suite(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime (Runtime/src/wasi*.c) embedded"))
struct ExecutableCommandTests {
    typealias T = ExecutableTesting

    /// Standard output's lines after the first (argv[0], which is the executable's path).
    func linesAfterProgramName(_ result: CommandRunner.Result) -> [String] {
        Array(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init))
    }

    @Test func writesAndExitsWithTheProcExitCode() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(T.hello, in: scratch)
        let result = try T.run(app)
        #expect(result.exited)
        #expect(result.status == 3)
        #expect(result.stdout == "hello\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func argumentsAndNothingElseByDefault() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(T.echo, in: scratch)
        let result = try T.run(app, ["one", "two words", "--three"], environment: ["SECRET": "hidden"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(app)\n"))
        #expect(linesAfterProgramName(result) == ["one", "two words", "--three", ""])
    }

    @Test func trapsPrintAndExitWith134() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(T.trap, in: scratch)
        let result = try T.run(app)
        #expect(result.exited)
        #expect(result.status == 134)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "trap: unreachable\n  in func 1 (_start) at offset 0x5b\n")
    }

    /// The trap's location names the function that trapped also where a helper of the
    /// generated code traps (division, bulk memory, truncation) and nothing inlines: at -O0
    /// the helpers are inlined all the same (always_inline), so the call to the trap lies in
    /// the function.
    @Test(arguments: ["-O0", "-O1"])
    func trapsNameTheirFunctionWithoutOptimization(level: String) throws {
        let scratch = try ScratchFolder()
        let app = try T.build("""
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func $divide (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
              (func $fill (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 100)))
              (func $truncate (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
              (func (export "_start") (local $argc i32)
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                (local.set $argc (i32.load (i32.const 0)))
                (if (i32.eq (local.get $argc) (i32.const 1)) (then (drop (call $divide (i32.const 0)))))
                (if (i32.eq (local.get $argc) (i32.const 2)) (then (call $fill (i32.const 65500))))
                (drop (call $truncate (f32.const nan)))))
            """, in: scratch, options: [level])
        // The offsets are the instructions' (`wasm-tools print --print-offsets`).
        for (arguments, expected) in [([], "integer divide by zero\n  in func 1 (divide) at offset 0x77"),
                                      (["x"], "out of bounds memory access\n  in func 2 (fill) at offset 0x82"),
                                      (["x", "y"], "invalid conversion to integer\n  in func 3 (truncate) at offset 0x8a")] {
            let result = try T.run(app, arguments)
            #expect(result.status == 134)
            #expect(result.stderr == "trap: \(expected)\n", "\(level) \(arguments)")
        }
    }

    /// With guard pages no function checks the stack: the stack's own end stops a runaway
    /// recursion, also on a main thread without a stack limit (where the runtime fences
    /// the 1 GiB it assumes).
    @Test(arguments: ["guard", "explicit"])
    func runawayRecursionTrapsEvenWithAnUnlimitedStack(boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = try T.build("""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func $down (param i32) (result i32) (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
              (func (export "_start") (drop (call $down (i32.const 0)))))
            """, in: scratch, options: ["--bounds-checks", boundsChecks])
        for limit in ["", "ulimit -s unlimited && "] {
            let result = try CommandRunner.run(["-c", "\(limit)exec \"$0\"", app], executable: URL(fileURLWithPath: "/bin/bash"))
            #expect(result.status == 134, "\(limit): \(result.stderr)")
            // Explicit checks check the stack as the function starts (its body at 0x5f); a
            // fault on the stack's guard page is named by the line table's row: the entry,
            // or the call (at 0x66) where it pushes its return address.
            #expect(result.stderr.wholeMatch(of: #/trap: call stack exhausted\n  in func 1 \(down\) at offset 0x(5f|66)\n/#) != nil,
                    "\(limit): \(result.stderr)")
        }
    }

    @Test func environmentGrantedAtBuildAndWidenedAtRunTime() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(T.echo, in: scratch, options: ["--env", "A=1", "--env", "B=2"])
        let baked = try T.run(app, ["x"], environment: ["SECRET": "hidden"])
        #expect(linesAfterProgramName(baked) == ["x", "A=1", "B=2", ""])

        let widened = try T.run(app, ["--wasmkiln-env=B=3", "--wasmkiln-env=C=4", "--", "x", "--wasmkiln-env=D=5"])
        #expect(widened.status == 0, "\(widened.stderr)")
        #expect(linesAfterProgramName(widened) == ["x", "--wasmkiln-env=D=5", "A=1", "B=3", "C=4", ""])

        // Only a leading block counts: later in the arguments they are the module's.
        let notLeading = try T.run(app, ["x", "--wasmkiln-env=C=4"])
        #expect(linesAfterProgramName(notLeading) == ["x", "--wasmkiln-env=C=4", "A=1", "B=2", ""])
    }

    @Test func inheritingTheEnvironment() throws {
        let scratch = try ScratchFolder()
        let inherits = try T.build(T.echo, in: scratch, name: "inherits", options: ["--inherit-env", "--env", "A=1"])
        let result = try T.run(inherits, environment: ["A": "0", "VISIBLE": "yes"])
        #expect(Set(linesAfterProgramName(result)) == ["A=1", "VISIBLE=yes", ""])

        let plain = try T.build(T.echo, in: scratch, name: "plain")
        let widened = try T.run(plain, ["--wasmkiln-inherit-env", "--"], environment: ["VISIBLE": "yes"])
        #expect(linesAfterProgramName(widened) == ["VISIBLE=yes", ""])
    }

    @Test func runTimeOptionsNeedTheSeparator() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(T.echo, in: scratch)
        let unended = try T.run(app, ["--wasmkiln-env=A=1", "x"])
        #expect(unended.status == 1)
        #expect(unended.stdout.isEmpty)
        #expect(unended.stderr.contains("must be followed by '--'"))

        let unknown = try T.run(app, ["--wasmkiln-bogus", "--", "x"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown option '--wasmkiln-bogus'"))
    }

    @Test func directories() throws {
        let scratch = try ScratchFolder()
        let data = scratch.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let app = try T.build(T.echo, in: scratch, options: ["--dir", "\(data.path)::/data"])
        #expect(try T.run(app).status == 0)

        let source = try scratch.write("missing.wat", text: T.echo)
        let missing = scratch.url.appendingPathComponent("missing").path
        let atBuild = try ToolchainTesting.wasmkiln(["build", source, "-o", scratch.url.appendingPathComponent("x").path,
                                                     "--dir", missing])
        #expect(atBuild.status == 1)
        #expect(atBuild.stderr == "\(source): --dir \(missing): not a readable directory\n")

        let atRun = try T.run(app, ["--wasmkiln-dir=\(missing)::/gone", "--"])
        #expect(atRun.status == 1)
        #expect(atRun.stdout.isEmpty)
        #expect(atRun.stderr.hasPrefix("\(app): "))
    }

    @Test func onlyCommandsBecomeExecutables() throws {
        let scratch = try ScratchFolder()
        let output = scratch.url.appendingPathComponent("app").path
        let noStart = try scratch.write("nostart.wat", text: "(module (memory (export \"memory\") 1) (func (export \"main\")))")
        let result = try ToolchainTesting.wasmkiln(["build", noStart, "-o", output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a WASI command: it does not export a \"_start\" function"))
        #expect(!FileManager.default.fileExists(atPath: output))

        let foreign = try scratch.write("foreign.wat", text: """
            (module (import "env" "log" (func (param i32))) (memory (export "memory") 1) (func (export "_start")))
            """)
        let imports = try ToolchainTesting.wasmkiln(["build", foreign, "-o", output])
        #expect(imports.status == 1)
        #expect(imports.stderr.contains("it imports func \"env\" \"log\""))
    }

    /// Memory as an executable's code and its WASI host share it: what the runtime wrote (a
    /// data segment, WASI results) is what loads see, what stores wrote is what WASI reads,
    /// unaligned and by bits; an i32 sum wraps, a static offset does not, and an access
    /// past the end traps, also where the C compiler can work out its constant address
    /// (gcc 12 drops a `__seg_gs` override on such an address, which this caught).
    @Test(arguments: ["guard", "explicit"])
    func memoryAsCodeAndHostShareIt(boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = try T.build("""
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "\\01\\02\\03\\04\\05\\06\\07\\08\\ff")
              (func $check (param i32) (if (i32.eqz (local.get 0)) (then unreachable)))
              (func (export "_start") (local $argc i32)
                (call $check (i64.eq (i64.load offset=1 (i32.const 16)) (i64.const 0xff08070605040302)))
                (call $check (i32.eq (i32.load16_s offset=7 (i32.const 16)) (i32.const 0xffffff08)))
                (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
                (local.set $argc (i32.load (i32.const 100)))
                (call $check (i32.eq (local.get $argc) (i32.const 3)))
                (call $check (i32.eq (i32.load (i32.add (i32.mul (local.get $argc) (i32.const 0x55555550)) (i32.const 0x20)))
                                     (i32.const 0x04030201)))
                (f32.store offset=3 (i32.const 200) (f32.reinterpret_i32 (i32.const 0x7fa00001)))
                (call $check (i32.eq (i32.load offset=3 (i32.const 200)) (i32.const 0x7fa00001)))
                (i64.store offset=1 (i32.const 300) (i64.const 0x0a6b6f))
                (i32.store (i32.const 0) (i32.const 301))
                (i32.store (i32.const 4) (i32.const 3))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (drop (i32.load offset=0x20 (i32.mul (local.get $argc) (i32.const 0x55555550))))))
            """, in: scratch, options: ["--bounds-checks", boundsChecks])
        let result = try T.run(app, ["a", "b"])
        #expect(result.stdout == "ok\n")
        #expect(result.status == 134)
        // An explicit check names the load (at 0x134), and so does a guard-page fault,
        // through the executable's line table.
        #expect(result.stderr == "trap: out of bounds memory access\n  in func 3 (_start) at offset 0x134\n")
    }

    @Test func importsWASIDoesNotDefine() throws {
        let scratch = try ScratchFolder()
        let app = try T.build("""
            (module (import "wasi_snapshot_preview1" "no_such_function" (func))
              (memory (export "memory") 1) (func (export "_start") (call 0)))
            """, in: scratch)
        let result = try T.run(app)
        #expect(result.status == 1)
        #expect(result.stderr == "\(app): unknown import \"wasi_snapshot_preview1\" \"no_such_function\": not a WASI function\n")
    }

    @Test func runForwardsArgumentsAndStatus() throws {
        let scratch = try ScratchFolder()
        let hello = try scratch.write("hello.wat", text: T.hello)
        let first = try ToolchainTesting.wasmkiln(["run", hello])
        #expect(first.status == 3)
        #expect(first.stdout == "hello\n")
        // The second run takes the cached executable.
        let second = try ToolchainTesting.wasmkiln(["run", hello])
        #expect(second.status == 3)
        #expect(second.stdout == "hello\n")

        let echo = try scratch.write("echo.wat", text: T.echo)
        let result = try ToolchainTesting.wasmkiln(["run", "--env", "A=1", echo, "--", "-x", "y"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(echo)\n-x\ny\nA=1\n")

        let trap = try scratch.write("trap.wat", text: T.trap)
        let trapped = try ToolchainTesting.wasmkiln(["run", trap])
        #expect(trapped.status == 134)
        #expect(trapped.stderr == "trap: unreachable\n  in func 1 (_start) at offset 0x5b\n")

        let badDir = try ToolchainTesting.wasmkiln(["run", "--dir", scratch.url.appendingPathComponent("none").path, echo])
        #expect(badDir.status == 1)
        #expect(badDir.stderr.contains("not a readable directory"))
    }

    /// Everything after a command's FILE is the command's, as with wasmtime: `-h`, words
    /// that look like wasmkiln's options, a later `--`. (A `--` right after FILE is dropped,
    /// as `runForwardsArgumentsAndStatus` shows.)
    @Test func runPassesEverythingAfterTheFile() throws {
        let scratch = try ScratchFolder()
        let echo = try scratch.write("echo.wat", text: T.echo)
        let words = ["-h", "--invoke", "x", "--", "-O0", "--memory-stats", "--version"]
        let result = try ToolchainTesting.wasmkiln(["run", "--env", "A=1", echo] + words)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(linesAfterProgramName(result) == words + ["A=1", ""])
    }

    @Test func runWithoutStartKeepsItsOldMeaning() throws {
        let scratch = try ScratchFolder()
        let plain = try scratch.write("plain.wat", text: "(module (func (export \"f\") (result i32) (i32.const 7)))")
        #expect(try ToolchainTesting.wasmkiln(["run", plain]).status == 0)
        #expect(try ToolchainTesting.wasmkiln(["run", plain, "--invoke", "f"]).stdout == "i32 7\n")

        let withArguments = try ToolchainTesting.wasmkiln(["run", plain, "x"])
        #expect(withArguments.status == 1)
        #expect(withArguments.stderr.contains("does not export \"_start\""))
    }
}
