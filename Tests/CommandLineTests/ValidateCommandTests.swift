import Foundation
import Testing
import WAT
@testable import TestSupport

@Suite struct ValidateCommandTests {
    func fixture(_ name: String) -> String {
        CommandRunner.fixtures.appendingPathComponent(name).path
    }

    @Test func validTextModules() throws {
        let add = fixture("add.wat"), fib = fixture("fib.wat")
        let result = try CommandRunner.run(["validate", add, fib])
        #expect(result.exited)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(add): ok\n\(fib): ok\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func validBinaryModule() throws {
        let scratch = try ScratchFolder()
        let text = try String(contentsOfFile: fixture("fib.wat"), encoding: .utf8)
        let path = try scratch.write("fib.wasm", try wat2wasm(text))
        let result = try CommandRunner.run(["validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(path): ok\n")

        let quiet = try CommandRunner.run(["validate", "--quiet", path])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
    }

    @Test func invalidModuleReportsOffsetAndFunction() throws {
        let path = fixture("invalid-type-mismatch.wat")
        let result = try CommandRunner.run(["validate", path])
        #expect(result.exited)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let line = try #require(result.stderrLines.first)
        #expect(line.hasPrefix("\(path): offset 0x"))
        #expect(line.contains(": func 0 (half): "))
        #expect(line.contains("type mismatch"))
    }

    /// GC's conversions between extern and any compile (they were the last instructions
    /// refused, by name); the freestanding runtime, which has no collector, refuses them
    /// with the reason.
    @Test func externConversionsCompileAndFreestandingRefusesThem() throws {
        let scratch = try ScratchFolder()
        // `wasm-tools parse` made these bytes of
        //   (module
        //     (func $first (param externref) (drop (any.convert_extern (local.get 0))))
        //     (func $plain (result i32) (i32.const 1))
        //     (func $second (param externref) (drop (any.convert_extern (local.get 0)))))
        let hex = "0061736d0100000001090260016f006000017f0304030001000a160307002000fb1a1a0b040041010b07002000fb1a1a0b00"
            + "1e046e616d65011703000566697273740105706c61696e02067365636f6e64"
        let bytes = stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let path = try scratch.write("references.wasm", bytes)
        let library = try CommandRunner.run(["build", path, "--lib", "-o", scratch.url.appendingPathComponent("references").path])
        #expect(library.status == 0, "\(library.stderr)")
        let freestanding = try CommandRunner.run(["emit-c", "--freestanding", path, "-o", scratch.url.appendingPathComponent("bare").path])
        #expect(freestanding.status == 1)
        #expect(freestanding.stderr.contains("it uses garbage collection, which the freestanding runtime does not support"),
                "\(freestanding.stderr)")
    }

    /// memory64 modules validate, and `inspect` says which memories and tables are 64-bit;
    /// as a WASI command one is refused (preview1 addresses a 32-bit memory), with the reason.
    @Test func memory64ModulesAreInspectedAndRefusedAsCommands() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("wide.wat", text: """
            (module
              (memory (export "memory") i64 1 70000)
              (table i64 2 funcref)
              (func (export "_start")))
            """)
        #expect(try CommandRunner.run(["validate", path]).status == 0)
        let inspect = try CommandRunner.run(["inspect", path])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("1..70000 pages (0.06..4375 MiB)"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("64-bit addresses"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("64-bit indices"), "\(inspect.stdout)")
        let build = try CommandRunner.run(["build", path, "-o", scratch.url.appendingPathComponent("wide").path])
        #expect(build.status == 1)
        #expect(build.stderr.contains("not a WASI command: WASI preview1 addresses a 32-bit memory"), "\(build.stderr)")
    }

    @Test func everyInvalidFunctionIsReported() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("two.wat", text: """
            (module
              (func $first (result i32) (i64.const 1))
              (func $ok (result i32) (i32.const 1))
              (func $third (result f32) (f64.const 1)))
            """)
        let result = try CommandRunner.run(["validate", path])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 2, "\(result.stderr)")
        #expect(result.stderrLines.first?.contains("func 0 (first)") == true)
        #expect(result.stderrLines.last?.contains("func 2 (third)") == true)
    }

    @Test func malformedBytesAreOneLine() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("junk.wasm", [0x7F, 0x45, 0x4C, 0x46, 1, 0, 0, 0])
        let result = try CommandRunner.run(["validate", path])
        #expect(result.exited)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["\(path): offset 0x0: magic header not detected"])
    }

    @Test func textSyntaxErrorHasLineAndColumn() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("typo.wat", text: "(module\n  (func (i32.bogus)))\n")
        let result = try CommandRunner.run(["validate", path])
        #expect(result.status == 1)
        let line = try #require(result.stderrLines.first)
        #expect(line.hasPrefix("\(path):2:"), "\(line)")
        #expect(!line.contains("Location("))
    }

    @Test func missingFileIsAnErrorNotACrash() throws {
        let add = fixture("add.wat")
        let missing = fixture("no-such-module.wasm")
        let result = try CommandRunner.run(["validate", add, missing])
        #expect(result.exited)
        #expect(result.status == 1)
        #expect(result.stdout == "\(add): ok\n")
        #expect(result.stderrLines == ["\(missing): cannot read file: No such file or directory"])
    }

    @Test func directoryIsAnError() throws {
        let result = try CommandRunner.run(["validate", CommandRunner.fixtures.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a directory"))
    }
}
