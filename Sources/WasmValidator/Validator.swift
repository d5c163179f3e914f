import WasmDecoder

/// What lowering needs to know about one function, found while validating it.
public struct FunctionInfo: Sendable {
    /// The greatest number of operands on the stack at any point of the body.
    public var maxStackHeight: Int
    /// For each operand stack slot (from the bottom), the set of value types that
    /// slot ever holds, as a bit mask indexed by `ValueType.slotBit`.
    public var slotTypes: [UInt8]
    /// The tail calls (`return_call`, `return_call_indirect`) the body makes.
    public var tailCalls: TailCalls = .none
    /// Exceptions: whether the body throws by itself (`throw`, `throw_ref`, `rethrow`),
    /// calls through a table, and which functions (imports included) it calls directly,
    /// whose exceptions it passes on.
    public var throwsItself = false
    public var callsIndirectly = false
    public var callees: [UInt32] = []
    /// The tables it changes (`table.set`, `.grow`, `.fill`, `.init`, `.copy`'s destination).
    public var tablesWritten: [UInt32] = []
    /// The feature sets its instructions belong to, as `Feature.bit`s.
    public var features: UInt32 = 0

    public enum TailCalls: Sendable {
        case none
        /// Only `return_call` of the function itself: a loop.
        case toItself
        /// To other functions, or through a table.
        case toOthers
    }
}

/// A module that passed validation, with the facts lowering needs.
public struct ValidatedModule: Sendable {
    public let module: Module
    /// One entry per defined function, in order.
    public let functions: [FunctionInfo]
}

extension ValueType {
    /// This type's bit in `FunctionInfo.slotTypes`.
    public var slotBit: UInt8 {
        switch kind {
        case .i32: 1 << 0
        case .i64: 1 << 1
        case .f32: 1 << 2
        case .f64: 1 << 3
        case .v128: 1 << 4
        // References are all pointers; those of GC's internal hierarchy apart, since the
        // collector must find them.
        case .funcref, .externref, .exnref, .nullfuncref, .nullexternref, .nullexnref: 1 << 5
        case .anyref, .eqref, .i31ref, .structref, .arrayref, .nullref: 1 << 6
        }
    }
}

/// Which rules apply where editions of the spec disagree. Wasm 3.0 accepts more than 2.0
/// (several memories, a memory index where 2.0 wants a zero byte, defined globals in
/// constant expressions, 64-bit limits); the 2.0 core tests expect those refused, so the
/// conformance runner checks them as `.wasm2`, and the multi-memory proposal's (2.0 plus
/// several memories) as `.multiMemory`.
public struct Edition: Sendable, Equatable {
    /// Several memories, and a memory index in memory instructions (multi-memory).
    public var multipleMemories: Bool
    /// Constant expressions may read defined globals, not only imported ones.
    public var definedGlobalsInConstants: Bool
    /// Limits are u64 numbers (memory64), not u32.
    public var wideLimits: Bool
    /// A type may refer to itself (a recursive group of one, GC); before, only to earlier types.
    public var recursiveTypes: Bool

    public static let wasm2 = Edition(multipleMemories: false, definedGlobalsInConstants: false, wideLimits: false, recursiveTypes: false)
    public static let multiMemory = Edition(multipleMemories: true, definedGlobalsInConstants: false, wideLimits: false, recursiveTypes: false)
    public static let wasm3 = Edition(multipleMemories: true, definedGlobalsInConstants: true, wideLimits: true, recursiveTypes: true)
    /// The GC proposal as its scripts test it: 2.0 with constant expressions that read
    /// defined globals, and recursive types.
    public static let gc = Edition(multipleMemories: false, definedGlobalsInConstants: true, wideLimits: false, recursiveTypes: true)
}

public enum Validator {
    /// Validates `module`; throws the first error (by byte offset).
    public static func validate(_ module: Module, parallel: Bool = true, edition: Edition = .wasm3) throws(WasmError) -> ValidatedModule {
        let (functions, errors) = check(module, parallel: parallel, edition: edition)
        if var first = errors.first {
            // A refused feature: say how widely the module uses it.
            if first.isUnsupported, let feature = first.feature {
                let users = errors.filter { $0.feature == feature && $0.functionIndex != nil }.count
                first.message += WasmError.featureUse(feature, functions: users)
            }
            throw first
        }
        return ValidatedModule(module: module, functions: functions)
    }

    /// Every error found: the module-level ones and the first in each function, by offset.
    public static func errors(in module: Module, parallel: Bool = true) -> [WasmError] {
        check(module, parallel: parallel, edition: .wasm3).errors
    }

    static func check(_ module: Module, parallel: Bool, edition: Edition) -> (functions: [FunctionInfo], errors: [WasmError]) {
        let context = ValidationContext(module: module, edition: edition)
        var checker = ModuleChecker(context: context)
        var errors = checker.check()
        let (functions, functionErrors) = FunctionBodies.validate(context: context, parallel: parallel)
        errors += functionErrors
        errors.sort { $0.offset < $1.offset }
        return (functions, errors)
    }
}

/// Decodes and validates a binary module.
public func decodeAndValidate(_ bytes: [UInt8], parallel: Bool = true, edition: Edition = .wasm3) throws(WasmError) -> ValidatedModule {
    try Validator.validate(try ModuleDecoder.decode(bytes, wideLimits: edition.wideLimits), parallel: parallel, edition: edition)
}
