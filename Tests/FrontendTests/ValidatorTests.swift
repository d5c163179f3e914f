import Testing
import WAT
import WasmDecoder
import WasmValidator

@Suite struct ValidatorTests {
    func binary(_ text: String) throws -> [UInt8] {
        try wat2wasm(text, features: [.referenceTypes, .simd, .exceptionHandling], options: EncodeOptions(nameSection: true))
    }

    @Test func recordsStackHeightAndSlotTypes() throws {
        let module = try decodeAndValidate(try binary("""
            (module (func (param i32) (result f64)
              (drop (i64.add (i64.const 1) (i64.const 2)))
              (f64.add (f64.const 1) (f64.convert_i32_s (local.get 0)))))
            """))
        let info = try #require(module.functions.first)
        #expect(info.maxStackHeight == 2)
        #expect(info.slotTypes == [ValueType.i64.slotBit | ValueType.f64.slotBit, ValueType.i64.slotBit | ValueType.f64.slotBit | ValueType.i32.slotBit])
    }

    @Test func reportsOneErrorPerFunctionWithItsName() throws {
        let module = try ModuleDecoder.decode(try binary("""
            (module
              (func $good (result i32) (i32.const 1))
              (func $bad (result i32) (f32.const 1))
              (func $worse (drop (i32.add (i32.const 1)))))
            """))
        let errors = Validator.errors(in: module)
        #expect(errors.count == 2)
        #expect(errors.map(\.functionIndex) == [1, 2])
        #expect(errors.first?.functionName == "bad")
        #expect(errors.first?.description.contains("func 1 (bad): type mismatch: instruction requires [i32] but stack has [f32]") == true)
        #expect(errors.last?.message == "type mismatch: instruction requires [i32] but stack has []")
    }

    @Test func serialAndParallelAgree() throws {
        var text = "(module (memory 1)"
        for index in 0..<300 {
            text += index % 7 == 3
                ? "(func (result i32) (i64.const \(index)))"
                : "(func (param i32) (result i32) (i32.load offset=\(index) (local.get 0)))"
        }
        let module = try ModuleDecoder.decode(try binary(text + ")"))
        let serial = Validator.errors(in: module, parallel: false)
        let parallel = Validator.errors(in: module, parallel: true)
        #expect(serial.count == 43)
        #expect(serial.map(\.offset) == parallel.map(\.offset))
    }

    /// Swift's String equality would merge these canonically equivalent names.
    @Test func exportNamesCompareAsBytes() throws {
        _ = try decodeAndValidate(try binary(#"(module (func) (export "\u{C5}" (func 0)) (export "A\u{30A}" (func 0)) (export "\u{212B}" (func 0)))"#))
        #expect(throws: WasmError.self) { try decodeAndValidate(try binary(#"(module (func) (export "a" (func 0)) (export "a" (func 0)))"#)) }
    }

    @Test func limitsFlagsAreOneByte() {
        // A table whose flags byte is the overlong LEB128 0x81 0x00.
        let bytes: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 4, 6, 1, 0x70, 0x81, 0, 0, 0]
        #expect { try ModuleDecoder.decode(bytes) } throws: { ($0 as? WasmError)?.message == "integer representation too long" }
    }

    @Test func exceptionHandlingAndTailCalls() throws {
        _ = try decodeAndValidate(try binary("""
            (module (tag $e (param i32))
              (func $f (result i32)
                (block $h (result i32)
                  (try_table (result i32) (catch $e $h) (throw $e (i32.const 7))))
                )
              (func (result i32) (return_call $f)))
            """))
        #expect(throws: WasmError.self) {
            try decodeAndValidate(try binary("(module (tag $e (param i64)) (func (block $h (result i32) (try_table (catch $e $h)) (unreachable)) (drop)))"))
        }
    }
}
