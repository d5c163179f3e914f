import Foundation
import Testing
@testable import TestSupport

/// Modules built to exhaust a compiler: each builds and runs, or is refused with a clear
/// message naming the limit (README, "Limits"), and neither WasmKiln nor the C compiler
/// crashes, hangs or runs out of memory. A build that does not finish within ten minutes
/// fails the test instead of hanging it.
@Suite struct HostileModuleTests {
    /// `wasmkiln run FILE --invoke CALL` on the module: what it printed, and how it ended.
    func run(_ module: [UInt8], _ arguments: [String]) throws -> CommandRunner.Result {
        let scratch = try ScratchFolder()
        let path = scratch.url.appendingPathComponent("hostile.wasm")
        try Data(module).write(to: path)
        // -O0 unless a case needs more: these test limits and scale, not code quality.
        let result = try ToolchainTesting.wasmkiln(["run", path.path, "-O0"] + arguments, timeout: 600)
        #expect(!result.timedOut, "still building after ten minutes")
        return result
    }

    func expectRefused(_ result: CommandRunner.Result, _ message: String) {
        #expect(result.exited && result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func hundredThousandNestedBlocksBuild() throws {
        let depth = 100_000
        let body = Array([[UInt8]](repeating: [0x02, 0x40], count: depth).joined()) + [UInt8](repeating: 0x0B, count: depth)
            + [0x41, 0x07, 0x0B]
        let result = try run(WasmBinary.module(results: [0x7F], code: body), ["--invoke", "f"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 7\n")
    }

    /// 100,000 nested blocks, each left by a br_if: 100,000 C labels and conditional gotos,
    /// whose cost grows with their product in gcc's front end.
    @Test func hundredThousandBranchedBlocksAreRefused() throws {
        let depth = 100_000
        var body: [UInt8] = []
        for _ in 0..<depth { body += [0x02, 0x40] }
        for _ in 0..<depth { body += [0x20, 0x00, 0x0D, 0x00, 0x0B] }
        body += [0x41, 0x01, 0x0B]
        expectRefused(try run(WasmBinary.module(params: [0x7F], results: [0x7F], code: body), ["--invoke", "f 1"]),
                      "func 0 (f): too complex for a C compiler")
    }

    @Test func thousandsOfBranchedBlocksBuild() throws {
        // 5,000 nested blocks and a br_table that can leave any of them (a large switch):
        // leaving block k returns k.
        let depth = 5_000
        var body: [UInt8] = []
        for _ in 0..<depth { body += [0x02, 0x40] }
        body += [0x20, 0x00, 0x0E] + WasmBinary.uleb(UInt64(depth - 1))
        for target in 0..<depth { body += WasmBinary.uleb(UInt64(target)) }  // the last is the default
        body += [0x0B]
        for k in 0..<(depth - 1) { body += [0x41] + WasmBinary.sleb(Int64(k)) + [0x0F, 0x0B] }
        body += [0x41] + WasmBinary.sleb(Int64(depth - 1)) + [0x0B]
        let result = try run(WasmBinary.module(params: [0x7F], results: [0x7F], code: body),
                             ["--invoke", "f 0", "--invoke", "f 4998", "--invoke", "f 4999", "--invoke", "f 70000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 0\ni32 4998\ni32 4999\ni32 4999\n")
    }

    /// The deepest `if` nesting we compile, with gcc and, where it is installed, with clang,
    /// which stops at 2,048 nested brackets.
    @Test(arguments: ["cc", "clang"])
    func twoThousandNestedIfsBuild(_ compiler: String) throws {
        guard compiler == "cc" || CCompilerTesting.installed(compiler) else { return }
        let depth = 2_000
        var body: [UInt8] = []
        for _ in 0..<depth { body += [0x20, 0x00, 0x04, 0x40] }
        body += [0x41, 0x07, 0x21, 0x00] + [UInt8](repeating: 0x0B, count: depth) + [0x20, 0x00, 0x0B]
        let scratch = try ScratchFolder()
        let path = try scratch.write("ifs.wasm", WasmBinary.module(params: [0x7F], results: [0x7F], code: body))
        let result = try ToolchainTesting.wasmkiln(["run", path, "-O0", "--invoke", "f 1", "--invoke", "f 0"],
                                                   environment: ["CC": compiler], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 7\ni32 0\n")
    }

    @Test func hundredThousandNestedIfsAreRefused() throws {
        let depth = 100_000
        var body: [UInt8] = []
        for _ in 0..<depth { body += [0x20, 0x00, 0x04, 0x40] }
        body += [UInt8](repeating: 0x0B, count: depth) + [0x41, 0x01, 0x0B]
        expectRefused(try run(WasmBinary.module(params: [0x7F], results: [0x7F], code: body), ["--invoke", "f 1"]),
                      "ifs nest more than 2000 deep")
    }

    @Test func hundredThousandNestedLoopsAreRefused() throws {
        let depth = 100_000
        let body = Array([[UInt8]](repeating: [0x03, 0x40], count: depth).joined())
            + [UInt8](repeating: 0x0B, count: depth) + [0x41, 0x01, 0x0B]
        expectRefused(try run(WasmBinary.module(results: [0x7F], code: body), ["--invoke", "f"]),
                      "loops nest more than 1000 deep")
    }

    @Test func millionEntryBranchTableIsRefused() throws {
        let targets = 1_000_000
        var body: [UInt8] = [0x02, 0x40, 0x20, 0x00, 0x0E] + WasmBinary.uleb(UInt64(targets))
        body += [UInt8](repeating: 0x00, count: targets + 1)
        body += [0x0B, 0x41, 0x01, 0x0B]
        expectRefused(try run(WasmBinary.module(params: [0x7F], results: [0x7F], code: body), ["--invoke", "f 1"]),
                      "br_table with 1000000 targets, more than the 65520")
    }

    @Test func hundredThousandFunctionsBuild() throws {
        // Functions 0..<99,999 return their index; the export calls the last of them.
        let count = 100_000
        let last = WasmBinary.uleb(UInt64(count - 1))
        let result = try run(WasmBinary.module(results: [0x7F], code: [0x10] + last + [0x0B], helpers: count),
                             ["--invoke", "f"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 99999\n")
    }

    @Test func fiftyThousandLocalsBuildAndOneMoreIsRefused() throws {
        let last = WasmBinary.uleb(49_999)
        let limit = WasmBinary.module(results: [0x7F], locals: [0x01] + WasmBinary.uleb(50_000) + [0x7F],
                                      code: [0x20] + last + [0x0B])
        let result = try run(limit, ["--invoke", "f"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 0\n")

        let over = WasmBinary.module(results: [0x7F], locals: [0x02] + WasmBinary.uleb(50_000) + [0x7F, 0x01, 0x7E],
                                     code: [0x41, 0x00, 0x0B])
        expectRefused(try run(over, ["--invoke", "f"]), "too many locals")
        let billions = WasmBinary.module(results: [0x7F], locals: [0x01] + WasmBinary.uleb(0xFFFF_FFFF) + [0x7F],
                                         code: [0x41, 0x00, 0x0B])
        expectRefused(try run(billions, ["--invoke", "f"]), "too many locals")
    }

    @Test(arguments: ["guard", "explicit"])
    func dataAtTheEndOfA4GiBMemory(_ mode: String) throws {
        // 65,536 pages; the last four bytes hold "wasm", read back as an i32.
        let end: UInt32 = 0xFFFF_FFFC
        let module = WasmBinary.module(results: [0x7F], code: [0x41] + WasmBinary.sleb(Int64(Int32(bitPattern: end)))
                                           + [0x28, 0x02, 0x00, 0x0B],
                                       memory: (pages: 65_536, data: (offset: end, bytes: Array("wasm".utf8))))
        let result = try run(module, ["--bounds-checks", mode, "--invoke", "f"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 1836278135\n")
    }
}

enum CCompilerTesting {
    /// Whether `name` is a program in PATH.
    static func installed(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }
}

/// Wasm binaries of one exported function "f", for tests that need sizes text is slow at.
enum WasmBinary {
    static func uleb(_ value: UInt64) -> [UInt8] {
        var value = value, bytes: [UInt8] = []
        repeat {
            let byte = UInt8(value & 0x7F)
            value >>= 7
            bytes.append(value == 0 ? byte : byte | 0x80)
        } while value != 0
        return bytes
    }

    static func sleb(_ value: Int64) -> [UInt8] {
        var value = value, bytes: [UInt8] = []
        while true {
            let byte = UInt8(value & 0x7F)
            value >>= 7
            let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0)
            bytes.append(done ? byte : byte | 0x80)
            if done { return bytes }
        }
    }

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id] + uleb(UInt64(content.count)) + content
    }

    static func vector(_ items: [[UInt8]]) -> [UInt8] {
        uleb(UInt64(items.count)) + items.flatMap { $0 }
    }

    /// The module: `helpers` functions `() -> i32` returning their index come first, then
    /// "f" of type `params -> results`, whose body is `locals` (encoded) then `code`.
    static func module(params: [UInt8] = [], results: [UInt8] = [], locals: [UInt8] = [0x00], code: [UInt8],
                       helpers: Int = 0, memory: (pages: UInt32, data: (offset: UInt32, bytes: [UInt8]))? = nil) -> [UInt8]
    {
        let types = vector([[0x60] + vector(params.map { [$0] }) + vector(results.map { [$0] }), [0x60, 0x00, 0x01, 0x7F]])
        let functions = vector([[UInt8]](repeating: [0x01], count: helpers) + [[0x00]])
        let exports = vector([[0x01, UInt8(ascii: "f"), 0x00] + uleb(UInt64(helpers))])
        var bodies = (0..<helpers).map { index -> [UInt8] in
            let body: [UInt8] = [0x00, 0x41] + sleb(Int64(index)) + [0x0B]
            return uleb(UInt64(body.count)) + body
        }
        bodies.append(uleb(UInt64(locals.count + code.count)) + locals + code)
        var bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        bytes += section(1, types) + section(3, functions)
        if let memory { bytes += section(5, vector([[0x00] + uleb(UInt64(memory.pages))])) }
        bytes += section(7, exports) + section(10, vector(bodies))
        if let data = memory?.data {
            bytes += section(11, vector([[0x00, 0x41] + sleb(Int64(Int32(bitPattern: data.offset))) + [0x0B]
                                            + vector(data.bytes.map { [$0] })]))
        }
        return bytes
    }
}
