import CLowering
import Testing
import WasmDecoder
import WasmValidator

/// Inputs that break the rules of `Scripts/fuzz-frontend`: found by it, or made by hand
/// and run through it to confirm they broke its time or memory limits.
@Suite struct FuzzRegressionTests {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    /// LeakSanitizer: validation deallocated its per-function results and per-worker error
    /// lists without releasing the arrays in them, leaking every module's `slotTypes` and
    /// error lists. The fuzzer's input: a function of type 4, and no type section.
    @Test func validationReleasesWhatItRecords() throws {
        let leaked = Self.header + [0x03, 0x02, 0x01, 0x04, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]
        let errors = Validator.errors(in: try ModuleDecoder.decode(leaked), parallel: false)
        #expect(errors.map(\.description) == ["offset 0xa: unknown type 4", "offset 0xf: func 0: unknown type 4"])

        // The same function, valid: once the validated module is gone, its slot types must
        // be ours alone (a copy on write would show another reference kept them alive).
        let valid = Self.header
            + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]  // type section: () -> ()
            + [0x03, 0x02, 0x01, 0x00]  // one function of type 0
            + [0x0A, 0x07, 0x01, 0x05, 0x00, 0x41, 0x00, 0x1A, 0x0B]  // i32.const 0, drop
        let module = try ModuleDecoder.decode(valid)
        var slotTypes = try Validator.validate(module, parallel: false).functions[0].slotTypes
        #expect(slotTypes == [ValueType.i32.slotBit])
        let before = slotTypes.withUnsafeBufferPointer { $0.baseAddress }
        slotTypes[0] = slotTypes[0]
        #expect(slotTypes.withUnsafeBufferPointer { $0.baseAddress } == before, "another reference to slotTypes outlived validation")
    }

    /// Over the fuzzer's 10 s limit: lowering declared every local, so 100 functions of
    /// 50,000 unused locals each (821 bytes of wasm) became 58 MB of C per bounds mode.
    /// Now only the locals the code uses are declared.
    @Test func unusedLocalsAreNotDeclared() throws {
        let functions = 20
        let locals: [UInt8] = [0x01] + Mutator.uleb(50_000) + [0x7F]  // 50,000 i32s
        let unused = locals + [0x0B]
        let used = locals + [0x20] + Mutator.uleb(49_999) + [0x1A, 0x0B]  // local.get 49999; drop
        var codes = Mutator.uleb(UInt64(functions))
        for body in Array(repeating: unused, count: functions - 1) + [used] { codes += Mutator.uleb(UInt64(body.count)) + body }
        let bytes = Self.header
            + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]  // type section: () -> ()
            + [0x03, UInt8(functions + 1), UInt8(functions)] + [UInt8](repeating: 0, count: functions)
            + [0x0A] + Mutator.uleb(UInt64(codes.count)) + codes
        let files = try CLowering.lower(try decodeAndValidate(bytes), options: LoweringOptions(prefix: "m"))
        let functionSources = files.filter { $0.name.contains("-funcs-") }.map(\.contents)
        #expect(functionSources.reduce(0) { $0 + $1.utf8.count } < 16 * 1024)
        #expect(functionSources.contains { $0.contains("l49999 = 0;") })
    }

    /// A function of `type` whose body is `code`, with no locals.
    static func module(type: [UInt8], code: [UInt8]) -> [UInt8] {
        let body = [0x00] + code
        let codes = [0x01] + Mutator.uleb(UInt64(body.count)) + body
        let types = [0x01, 0x60] + type
        return header + [0x01] + Mutator.uleb(UInt64(types.count)) + types
            + [0x03, 0x02, 0x01, 0x00] + [0x0A] + Mutator.uleb(UInt64(codes.count)) + codes
    }

    /// `count` i32s, as a type's parameters or results.
    static func i32s(_ count: Int) -> [UInt8] { Mutator.uleb(UInt64(count)) + [UInt8](repeating: 0x7F, count: count) }

    /// Over the fuzzer's 10 s and 2 GiB: every branch copies its target's values, so a
    /// function returning 4,000 values and 10,000 br_table cases that return (22 KB of
    /// wasm) made 40 million copies. Types are now limited to 1,000 parameters and
    /// results, as in the JS API.
    @Test func typesHaveAtMostAThousandParametersAndResults() throws {
        let returns4000 = Self.module(type: [0x00] + Self.i32s(4_000), code: [0x00])
        let results = #expect(throws: WasmError.self) { try ModuleDecoder.decode(returns4000) }
        #expect(results?.description == "offset 0xe: too many results")
        let takes1001 = Self.module(type: Self.i32s(1_001) + [0x00], code: [0x0B])
        let parameters = #expect(throws: WasmError.self) { try ModuleDecoder.decode(takes1001) }
        #expect(parameters?.description == "offset 0xd: too many parameters")
        let atTheLimit = Self.module(type: Self.i32s(1_000) + Self.i32s(1_000), code: (0..<1_000).flatMap { [0x20] + Mutator.uleb(UInt64($0)) } + [0x0B])
        #expect(throws: Never.self) { try decodeAndValidate(atTheLimit) }
    }

    /// The same, within the limit: a br_table's cases that branch to the same target now
    /// share one branch, so 10,000 cases returning 1,000 values are one copy, not 10,000.
    @Test func brTableCasesShareTheirTargetsBranch() throws {
        let cases = 10_000
        var code = [UInt8](repeating: 0, count: 0)
        for _ in 0..<1_000 { code += [0x41, 0x00] }  // i32.const 0, 1,000 times
        code += [0x41, 0x00, 0x0E] + Mutator.uleb(UInt64(cases)) + [UInt8](repeating: 0, count: cases + 1) + [0x0B]
        let bytes = Self.module(type: [0x00] + Self.i32s(1_000), code: code)
        let files = try CLowering.lower(try decodeAndValidate(bytes), options: LoweringOptions(prefix: "m"))
        let functions = try #require(files.first { $0.name == "m-funcs-0.c" }).contents
        #expect(functions.utf8.count < 200 * 1024)
        #expect(functions.contains(" default: case 0: case 1: case 2:"))
    }
}
