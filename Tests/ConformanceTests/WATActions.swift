import Toolchain
import WAT
import WasmParser
import WasmTypes

/// Turns WAT's actions and values into ours.
enum WATActions {
    /// `make` applied to the action, or `.unsupported` when an argument has no `Value`.
    static func execution(_ execute: WASTExecute, _ make: (Action) -> Execution) -> Execution {
        switch execute {
        case .invoke(let call):
            var arguments: [Toolchain.Value] = []
            for argument in call.args {
                guard let value = value(argument) else { return .unsupported("argument \(argument): not supported") }
                arguments.append(value)
            }
            return make(Action(module: call.module, name: call.name, kind: .invoke(arguments)))
        case .get(let module, let name):
            return make(Action(module: module, name: name, kind: .get))
        case .wat:
            // Callers handle modules as assertions of their own.
            return .unsupported("module as an action")
        }
    }

    static func value(_ constant: WASTConstValue) -> Toolchain.Value? {
        switch constant {
        case .i32(let value): .i32(value)
        case .i64(let value): .i64(value)
        case .f32(let bits): .f32(bits: bits)
        case .f64(let bits): .f64(bits: bits)
        case .v128(let vector): v128(vector.bytes)
        case .refNull(.abstract(.funcRef)): .funcref(0)
        case .refNull(.abstract(.externRef)): .externref(0)
        case .refExtern(let number): .extern(number)
        // A host value in GC's hierarchy: the call boxes an externref passed for an anyref.
        case .refHost(let number): .extern(number)
        // Another hierarchy's null (GC's, exceptions'): a null pointer, as the host passes it.
        case .refNull(.abstract): .externref(0)
        case .refNull, .refFunc: nil
        }
    }

    static func expected(_ expectation: WASTExpectValue) -> Expected {
        switch expectation {
        case .i32(let value): .value(.i32(value))
        case .i64(let value): .value(.i64(value))
        case .f32(let bits): .value(.f32(bits: bits))
        case .f64(let bits): .value(.f64(bits: bits))
        case .v128(let vector): .value(v128(vector.bytes))
        case .f32CanonicalNaN: .canonicalNaN(.f32)
        case .f32ArithmeticNaN: .arithmeticNaN(.f32)
        case .f64CanonicalNaN: .canonicalNaN(.f64)
        case .f64ArithmeticNaN: .arithmeticNaN(.f64)
        case .refNull(nil): .null(nil)
        case .refNull(.abstract(.funcRef)?): .null(.funcref)
        case .refNull(.abstract(.externRef)?), .refNull(.abstract(.noExtern)?): .null(.externref)
        case .refNull(.abstract(.noFunc)?): .null(.funcref)
        // The other hierarchies' nulls (GC's, exceptions'): the host sees a null pointer.
        case .refNull(.abstract?): .null(nil)
        case .refExtern(let number): .externref(number)
        case .refFunc: .funcref
        case .either(let choices): .either(choices.map(expected))
        case .v128Pattern(let pattern): .floatLanes(laneBytes: pattern.shape == .f64x2 ? 8 : 4, bytes: pattern.bytes,
                                                    nanLanes: pattern.nanLaneMask)
        case .refStruct, .refArray: .gcObject
        case .refI31: .i31
        case .refEq: .eqReference
        case .refHost(let number): .hostValue(number)
        case .refNull:
            .unsupported("expected \(expectation): not supported")
        }
    }

    /// Little-endian bytes as a v128.
    static func v128(_ bytes: [UInt8]) -> Toolchain.Value {
        func half(_ start: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 | UInt64(bytes[start + $1]) << (8 * $1) }
        }
        return .v128(lo: half(0), hi: half(8))
    }
}
