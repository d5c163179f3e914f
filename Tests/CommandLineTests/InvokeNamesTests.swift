import Foundation
import Testing
import WAT
@testable import TestSupport

/// `run --invoke` reaches every legal export name: the spec suite's names.wast names its
/// exports with every kind of character (empty, spaces, quotes, control characters,
/// leading dashes, any Unicode), and each is called here by its name as a quoted string.
@Suite struct InvokeNamesTests {
    /// `$WASM_TESTSUITE`, else the suite beside the repository (as the conformance test finds it).
    static func specSuite(_ path: String) -> URL {
        let environment = ProcessInfo.processInfo.environment["WASM_TESTSUITE"] ?? ""
        let root = environment.isEmpty
            ? CommandRunner.fixtures.deletingLastPathComponent().appendingPathComponent("../shared/wasm-testsuite")
            : URL(fileURLWithPath: environment)
        return root.appendingPathComponent(path).standardizedFileURL
    }

    /// `name` as a text-format string: printable ASCII as itself, every other byte as `\hh`.
    static func quoted(_ name: String) -> String {
        "\"" + name.utf8.map { byte in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : "\\" + String(byte, radix: 16).leftPadded(to: 2)
        }.joined() + "\""
    }

    @Test func everyExportOfNamesWastByItsName() throws {
        let text = try String(contentsOf: Self.specSuite("core/names.wast"), encoding: .utf8)
        var script = try parseWAST(text)
        // Each module with the calls the script makes to it without arguments, and their results.
        var modules: [(bytes: [UInt8], calls: [(name: String, result: UInt32)])] = []
        while let (result, _) = script.nextDirectiveResult() {
            switch try result.get() {
            case .module(let module):
                guard case .text(let wat) = module.source else { continue }
                modules.append((try wat.encode(), []))
            case .assertReturn(.invoke(let call), let results) where call.args.isEmpty:
                guard results.count == 1, case .i32(let value) = results[0] else { continue }
                modules[modules.count - 1].calls.append((call.name, value))
            default:
                break
            }
        }

        let scratch = try ScratchFolder()
        var called = 0
        for (index, module) in modules.enumerated() where !module.calls.isEmpty {
            let path = scratch.url.appendingPathComponent("names\(index).wasm")
            try Data(module.bytes).write(to: path)
            let result = try ToolchainTesting.wasmkiln(["run", path.path] + module.calls.map { "--invoke=" + Self.quoted($0.name) })
            #expect(result.status == 0, "\(result.stderr)")
            let expected = module.calls.map { "i32 \(Int32(bitPattern: $0.result))\n" }.joined()
            #expect(result.stdout == expected)
            called += module.calls.count
        }
        #expect(called >= 478, "names.wast's calls without arguments: \(called)")
    }

    @Test func quotedNamesAndTheirErrors() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("names.wat", text: """
            (module
              (func (export "-f") (result i32) (i32.const 1))
              (func (export "a b") (param i32) (result i32) (local.get 0))
              (func (export "") (result i32) (i32.const 3))
              (func (export "\\"q\\"") (result i32) (i32.const 4)))
            """)
        let result = try ToolchainTesting.wasmkiln(["run", path, "--invoke=-f", "--invoke", "\"a b\" 2", "--invoke", "\"\"",
                                                    "--invoke", #""\"q\"""#, "--invoke", #""\u{61}\20b" 5"#])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i32 1\ni32 2\ni32 3\ni32 4\ni32 5\n")

        for (call, message) in [("\"a b", "no closing"), ("\"a b\"2", "expected a space"), ("\"\\ff\"", "not UTF-8"),
                                ("\"\\u{zz}\"", "bad \\u{")] {
            let failed = try ToolchainTesting.wasmkiln(["run", path, "--invoke", call])
            #expect(failed.status == 1)
            #expect(failed.stderr.contains(message), "\(call): \(failed.stderr)")
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
