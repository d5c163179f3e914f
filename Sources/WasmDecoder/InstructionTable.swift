// The instruction set: every instruction WasmKiln reads, once. The decoder's opcode
// lookup, the validator and the C lowering all work from these entries (Instruction.swift
// says what each field means). Adding an instruction means adding its entry here, plus
// its C helper when the C form calls one: in Runtime/include/wasmkiln-gen.h, or for SIMD
// in wasmkiln-simd.h (named after the instruction, see `helper`).

private let i32 = ValueType.i32, i64 = ValueType.i64, f32 = ValueType.f32, f64 = ValueType.f64
private let v128 = ValueType.v128

private func special(_ name: String, _ code: UInt8, _ rule: Rule, _ immediates: Immediates = .none,
                     signature: Signature? = nil, _ feature: Feature = .core) -> Instruction {
    Instruction(name, code: UInt32(code), immediates: immediates, rule: rule, signature: signature, feature: feature)
}

private func special(_ name: String, miscellaneous code: UInt32, _ rule: Rule, _ immediates: Immediates,
                     signature: Signature? = nil, _ feature: Feature) -> Instruction {
    Instruction(name, prefix: 0xFC, code: code, immediates: immediates, rule: rule, signature: signature, feature: feature)
}

/// A numeric instruction: `c` computes the result from `$0` (and `$1`).
private func numeric(_ name: String, _ code: UInt8, _ operands: [ValueType], _ result: ValueType, _ c: String) -> Instruction {
    Instruction(name, code: UInt32(code), rule: .operation, signature: Signature(operands, result), c: c,
                feature: code >= 0xC0 ? .signExtension : .core)
}

private func load(_ name: String, _ code: UInt8, _ result: ValueType, alignment: UInt8, _ c: String) -> Instruction {
    Instruction(name, code: UInt32(code), immediates: .memory, rule: .load, signature: Signature([i32], result),
                naturalAlignment: alignment, c: c)
}

private func store(_ name: String, _ code: UInt8, _ value: ValueType, alignment: UInt8, _ c: String) -> Instruction {
    Instruction(name, code: UInt32(code), immediates: .memory, rule: .store, signature: Signature([i32, value], nil),
                naturalAlignment: alignment, c: c)
}

/// The C helper of a SIMD instruction (Runtime/include/wasmkiln-simd.h): `wk_` and its
/// name with `_` for `.`, given the operands, then the lane immediate(s).
private func helper(_ name: String, _ arguments: [String]) -> String {
    "wk_\(name.replacing(".", with: "_"))(\(arguments.joined(separator: ", ")))"
}

/// A SIMD instruction (prefix 0xFD) computed from its operands (and a lane index when `lanes` is set).
private func vector(_ name: String, _ code: UInt32, _ operands: [ValueType], _ result: ValueType,
                    immediates: Immediates? = nil, lanes: UInt8 = 0) -> Instruction {
    let immediates = immediates ?? (lanes > 0 ? .lane : .none)
    let extra = immediates == .lane ? ["$L"] : immediates == .shuffle ? ["$S"] : []
    // The shuffle's helper is a macro (its lanes must be constants): an operand in
    // parentheses keeps a compound literal's commas from splitting it.
    let arguments = operands.indices.map { immediates == .shuffle ? "($\($0))" : "$\($0)" }
    return Instruction(name, prefix: 0xFD, code: code, immediates: immediates, rule: .operation,
                       signature: Signature(operands, result), lanes: lanes, c: helper(name, arguments + extra),
                       feature: code >= 0x100 ? .relaxedSIMD : .simd)
}

private func vectorLoad(_ name: String, _ code: UInt32, alignment: UInt8) -> Instruction {
    Instruction(name, prefix: 0xFD, code: code, immediates: .memory, rule: .load, signature: Signature([i32], v128),
                naturalAlignment: alignment, c: helper(name, ["$@"]), feature: .simd)
}

private func vectorStore(_ name: String, _ code: UInt32, alignment: UInt8) -> Instruction {
    Instruction(name, prefix: 0xFD, code: code, immediates: .memory, rule: .store, signature: Signature([i32, v128], nil),
                naturalAlignment: alignment, c: helper(name, ["$@", "$1"]), feature: .simd)
}

private func vectorLoadLane(_ name: String, _ code: UInt32, alignment: UInt8, lanes: UInt8) -> Instruction {
    Instruction(name, prefix: 0xFD, code: code, immediates: .memoryLane, rule: .load, signature: Signature([i32, v128], v128),
                naturalAlignment: alignment, lanes: lanes, c: helper(name, ["$@", "$1", "$L"]), feature: .simd)
}

private func vectorStoreLane(_ name: String, _ code: UInt32, alignment: UInt8, lanes: UInt8) -> Instruction {
    Instruction(name, prefix: 0xFD, code: code, immediates: .memoryLane, rule: .store, signature: Signature([i32, v128], nil),
                naturalAlignment: alignment, lanes: lanes, c: helper(name, ["$@", "$1", "$L"]), feature: .simd)
}

/// Every entry, in groups. In the C forms integers are unsigned, so signed operations
/// cast; float operations that C would get wrong for NaN or rounding call helpers.
let instructionTable: [Instruction] = controlInstructions + memoryInstructions + numericInstructions
    + bulkInstructions + vectorInstructions + atomicInstructions + gcInstructions

private let controlInstructions: [Instruction] = [
    special("unreachable", 0x00, .unreachable),
    special("nop", 0x01, .nop),
    special("block", 0x02, .block, .blockType),
    special("loop", 0x03, .loop, .blockType),
    special("if", 0x04, .if, .blockType),
    special("else", 0x05, .else),
    special("try", 0x06, .try, .blockType, .legacyExceptions),
    special("catch", 0x07, .catch, .index, .legacyExceptions),
    special("throw", 0x08, .throw, .index, .exceptions),
    special("rethrow", 0x09, .rethrow, .index, .legacyExceptions),
    special("throw_ref", 0x0A, .throwRef, .none, .exceptions),
    special("end", 0x0B, .end),
    special("br", 0x0C, .br, .index),
    special("br_if", 0x0D, .brIf, .index),
    special("br_table", 0x0E, .brTable, .branchTable),
    special("return", 0x0F, .return),
    special("call", 0x10, .call, .index),
    special("call_indirect", 0x11, .callIndirect, .twoIndices),
    special("return_call", 0x12, .returnCall, .index, .tailCalls),
    special("return_call_indirect", 0x13, .returnCallIndirect, .twoIndices, .tailCalls),
    special("delegate", 0x18, .delegate, .index, .legacyExceptions),
    special("catch_all", 0x19, .catchAll, .none, .legacyExceptions),
    special("drop", 0x1A, .drop),
    special("select", 0x1B, .select),
    special("select", 0x1C, .selectTyped, .valueTypes, .referenceTypes),
    special("try_table", 0x1F, .tryTable, .tryTable, .exceptions),
    special("local.get", 0x20, .localGet, .index),
    special("local.set", 0x21, .localSet, .index),
    special("local.tee", 0x22, .localTee, .index),
    special("global.get", 0x23, .globalGet, .index),
    special("global.set", 0x24, .globalSet, .index),
    special("table.get", 0x25, .tableGet, .index, .referenceTypes),
    special("table.set", 0x26, .tableSet, .index, .referenceTypes),
    special("ref.null", 0xD0, .refNull, .heapType, .referenceTypes),
    special("ref.is_null", 0xD1, .refIsNull, .none, .referenceTypes),
    special("ref.func", 0xD2, .refFunc, .index, .referenceTypes),
    // Typed function references.
    special("call_ref", 0x14, .callRef, .index, .functionReferences),
    special("return_call_ref", 0x15, .returnCallRef, .index, .functionReferences),
    special("ref.as_non_null", 0xD4, .refAsNonNull, .none, .functionReferences),
    special("br_on_null", 0xD5, .brOnNull, .index, .functionReferences),
    special("br_on_non_null", 0xD6, .brOnNonNull, .index, .functionReferences),
]

private let memoryInstructions: [Instruction] = [
    load("i32.load", 0x28, i32, alignment: 2, "wk_load_u32($@)"),
    load("i64.load", 0x29, i64, alignment: 3, "wk_load_u64($@)"),
    load("f32.load", 0x2A, f32, alignment: 2, "wk_load_f32($@)"),
    load("f64.load", 0x2B, f64, alignment: 3, "wk_load_f64($@)"),
    load("i32.load8_s", 0x2C, i32, alignment: 0, "(uint32_t)(int32_t)(int8_t)wk_load_u8($@)"),
    load("i32.load8_u", 0x2D, i32, alignment: 0, "(uint32_t)wk_load_u8($@)"),
    load("i32.load16_s", 0x2E, i32, alignment: 1, "(uint32_t)(int32_t)(int16_t)wk_load_u16($@)"),
    load("i32.load16_u", 0x2F, i32, alignment: 1, "(uint32_t)wk_load_u16($@)"),
    load("i64.load8_s", 0x30, i64, alignment: 0, "(uint64_t)(int64_t)(int8_t)wk_load_u8($@)"),
    load("i64.load8_u", 0x31, i64, alignment: 0, "(uint64_t)wk_load_u8($@)"),
    load("i64.load16_s", 0x32, i64, alignment: 1, "(uint64_t)(int64_t)(int16_t)wk_load_u16($@)"),
    load("i64.load16_u", 0x33, i64, alignment: 1, "(uint64_t)wk_load_u16($@)"),
    load("i64.load32_s", 0x34, i64, alignment: 2, "(uint64_t)(int64_t)(int32_t)wk_load_u32($@)"),
    load("i64.load32_u", 0x35, i64, alignment: 2, "(uint64_t)wk_load_u32($@)"),
    store("i32.store", 0x36, i32, alignment: 2, "wk_store_u32($@, $1)"),
    store("i64.store", 0x37, i64, alignment: 3, "wk_store_u64($@, $1)"),
    store("f32.store", 0x38, f32, alignment: 2, "wk_store_f32($@, $1)"),
    store("f64.store", 0x39, f64, alignment: 3, "wk_store_f64($@, $1)"),
    store("i32.store8", 0x3A, i32, alignment: 0, "wk_store_u8($@, (uint8_t)$1)"),
    store("i32.store16", 0x3B, i32, alignment: 1, "wk_store_u16($@, (uint16_t)$1)"),
    store("i64.store8", 0x3C, i64, alignment: 0, "wk_store_u8($@, (uint8_t)$1)"),
    store("i64.store16", 0x3D, i64, alignment: 1, "wk_store_u16($@, (uint16_t)$1)"),
    store("i64.store32", 0x3E, i64, alignment: 2, "wk_store_u32($@, (uint32_t)$1)"),
    special("memory.size", 0x3F, .memorySize, .memoryIndex, signature: Signature([], i32)),
    special("memory.grow", 0x40, .memoryGrow, .memoryIndex, signature: Signature([i32], i32)),
]

private let numericInstructions: [Instruction] = [
    Instruction("i32.const", code: 0x41, immediates: .i32, rule: .constant, signature: Signature([], i32)),
    Instruction("i64.const", code: 0x42, immediates: .i64, rule: .constant, signature: Signature([], i64)),
    Instruction("f32.const", code: 0x43, immediates: .f32, rule: .constant, signature: Signature([], f32)),
    Instruction("f64.const", code: 0x44, immediates: .f64, rule: .constant, signature: Signature([], f64)),

    numeric("i32.eqz", 0x45, [i32], i32, "$0 == 0"),
    numeric("i32.eq", 0x46, [i32, i32], i32, "$0 == $1"),
    numeric("i32.ne", 0x47, [i32, i32], i32, "$0 != $1"),
    numeric("i32.lt_s", 0x48, [i32, i32], i32, "(int32_t)$0 < (int32_t)$1"),
    numeric("i32.lt_u", 0x49, [i32, i32], i32, "$0 < $1"),
    numeric("i32.gt_s", 0x4A, [i32, i32], i32, "(int32_t)$0 > (int32_t)$1"),
    numeric("i32.gt_u", 0x4B, [i32, i32], i32, "$0 > $1"),
    numeric("i32.le_s", 0x4C, [i32, i32], i32, "(int32_t)$0 <= (int32_t)$1"),
    numeric("i32.le_u", 0x4D, [i32, i32], i32, "$0 <= $1"),
    numeric("i32.ge_s", 0x4E, [i32, i32], i32, "(int32_t)$0 >= (int32_t)$1"),
    numeric("i32.ge_u", 0x4F, [i32, i32], i32, "$0 >= $1"),

    numeric("i64.eqz", 0x50, [i64], i32, "$0 == 0"),
    numeric("i64.eq", 0x51, [i64, i64], i32, "$0 == $1"),
    numeric("i64.ne", 0x52, [i64, i64], i32, "$0 != $1"),
    numeric("i64.lt_s", 0x53, [i64, i64], i32, "(int64_t)$0 < (int64_t)$1"),
    numeric("i64.lt_u", 0x54, [i64, i64], i32, "$0 < $1"),
    numeric("i64.gt_s", 0x55, [i64, i64], i32, "(int64_t)$0 > (int64_t)$1"),
    numeric("i64.gt_u", 0x56, [i64, i64], i32, "$0 > $1"),
    numeric("i64.le_s", 0x57, [i64, i64], i32, "(int64_t)$0 <= (int64_t)$1"),
    numeric("i64.le_u", 0x58, [i64, i64], i32, "$0 <= $1"),
    numeric("i64.ge_s", 0x59, [i64, i64], i32, "(int64_t)$0 >= (int64_t)$1"),
    numeric("i64.ge_u", 0x5A, [i64, i64], i32, "$0 >= $1"),

    // Float comparisons are false on NaN, as in C.
    numeric("f32.eq", 0x5B, [f32, f32], i32, "$0 == $1"),
    numeric("f32.ne", 0x5C, [f32, f32], i32, "$0 != $1"),
    numeric("f32.lt", 0x5D, [f32, f32], i32, "$0 < $1"),
    numeric("f32.gt", 0x5E, [f32, f32], i32, "$0 > $1"),
    numeric("f32.le", 0x5F, [f32, f32], i32, "$0 <= $1"),
    numeric("f32.ge", 0x60, [f32, f32], i32, "$0 >= $1"),
    numeric("f64.eq", 0x61, [f64, f64], i32, "$0 == $1"),
    numeric("f64.ne", 0x62, [f64, f64], i32, "$0 != $1"),
    numeric("f64.lt", 0x63, [f64, f64], i32, "$0 < $1"),
    numeric("f64.gt", 0x64, [f64, f64], i32, "$0 > $1"),
    numeric("f64.le", 0x65, [f64, f64], i32, "$0 <= $1"),
    numeric("f64.ge", 0x66, [f64, f64], i32, "$0 >= $1"),

    numeric("i32.clz", 0x67, [i32], i32, "wk_i32_clz($0)"),
    numeric("i32.ctz", 0x68, [i32], i32, "wk_i32_ctz($0)"),
    numeric("i32.popcnt", 0x69, [i32], i32, "(uint32_t)__builtin_popcount($0)"),
    numeric("i32.add", 0x6A, [i32, i32], i32, "$0 + $1"),
    numeric("i32.sub", 0x6B, [i32, i32], i32, "$0 - $1"),
    numeric("i32.mul", 0x6C, [i32, i32], i32, "$0 * $1"),
    numeric("i32.div_s", 0x6D, [i32, i32], i32, "wk_i32_div_s($0, $1)"),
    numeric("i32.div_u", 0x6E, [i32, i32], i32, "wk_i32_div_u($0, $1)"),
    numeric("i32.rem_s", 0x6F, [i32, i32], i32, "wk_i32_rem_s($0, $1)"),
    numeric("i32.rem_u", 0x70, [i32, i32], i32, "wk_i32_rem_u($0, $1)"),
    numeric("i32.and", 0x71, [i32, i32], i32, "$0 & $1"),
    numeric("i32.or", 0x72, [i32, i32], i32, "$0 | $1"),
    numeric("i32.xor", 0x73, [i32, i32], i32, "$0 ^ $1"),
    numeric("i32.shl", 0x74, [i32, i32], i32, "$0 << ($1 & 31)"),
    numeric("i32.shr_s", 0x75, [i32, i32], i32, "(uint32_t)((int32_t)$0 >> ($1 & 31))"),
    numeric("i32.shr_u", 0x76, [i32, i32], i32, "$0 >> ($1 & 31)"),
    numeric("i32.rotl", 0x77, [i32, i32], i32, "wk_i32_rotl($0, $1)"),
    numeric("i32.rotr", 0x78, [i32, i32], i32, "wk_i32_rotr($0, $1)"),

    numeric("i64.clz", 0x79, [i64], i64, "wk_i64_clz($0)"),
    numeric("i64.ctz", 0x7A, [i64], i64, "wk_i64_ctz($0)"),
    numeric("i64.popcnt", 0x7B, [i64], i64, "(uint64_t)__builtin_popcountll($0)"),
    numeric("i64.add", 0x7C, [i64, i64], i64, "$0 + $1"),
    numeric("i64.sub", 0x7D, [i64, i64], i64, "$0 - $1"),
    numeric("i64.mul", 0x7E, [i64, i64], i64, "$0 * $1"),
    numeric("i64.div_s", 0x7F, [i64, i64], i64, "wk_i64_div_s($0, $1)"),
    numeric("i64.div_u", 0x80, [i64, i64], i64, "wk_i64_div_u($0, $1)"),
    numeric("i64.rem_s", 0x81, [i64, i64], i64, "wk_i64_rem_s($0, $1)"),
    numeric("i64.rem_u", 0x82, [i64, i64], i64, "wk_i64_rem_u($0, $1)"),
    numeric("i64.and", 0x83, [i64, i64], i64, "$0 & $1"),
    numeric("i64.or", 0x84, [i64, i64], i64, "$0 | $1"),
    numeric("i64.xor", 0x85, [i64, i64], i64, "$0 ^ $1"),
    numeric("i64.shl", 0x86, [i64, i64], i64, "$0 << ($1 & 63)"),
    numeric("i64.shr_s", 0x87, [i64, i64], i64, "(uint64_t)((int64_t)$0 >> ($1 & 63))"),
    numeric("i64.shr_u", 0x88, [i64, i64], i64, "$0 >> ($1 & 63)"),
    numeric("i64.rotl", 0x89, [i64, i64], i64, "wk_i64_rotl($0, $1)"),
    numeric("i64.rotr", 0x8A, [i64, i64], i64, "wk_i64_rotr($0, $1)"),
] + floatArithmetic("f32", f32, 0x8B) + floatArithmetic("f64", f64, 0x99) + [
    numeric("i32.wrap_i64", 0xA7, [i64], i32, "(uint32_t)$0"),
    numeric("i32.trunc_f32_s", 0xA8, [f32], i32, "wk_i32_trunc_f32_s($0)"),
    numeric("i32.trunc_f32_u", 0xA9, [f32], i32, "wk_i32_trunc_f32_u($0)"),
    numeric("i32.trunc_f64_s", 0xAA, [f64], i32, "wk_i32_trunc_f64_s($0)"),
    numeric("i32.trunc_f64_u", 0xAB, [f64], i32, "wk_i32_trunc_f64_u($0)"),
    numeric("i64.extend_i32_s", 0xAC, [i32], i64, "(uint64_t)(int64_t)(int32_t)$0"),
    numeric("i64.extend_i32_u", 0xAD, [i32], i64, "(uint64_t)$0"),
    numeric("i64.trunc_f32_s", 0xAE, [f32], i64, "wk_i64_trunc_f32_s($0)"),
    numeric("i64.trunc_f32_u", 0xAF, [f32], i64, "wk_i64_trunc_f32_u($0)"),
    numeric("i64.trunc_f64_s", 0xB0, [f64], i64, "wk_i64_trunc_f64_s($0)"),
    numeric("i64.trunc_f64_u", 0xB1, [f64], i64, "wk_i64_trunc_f64_u($0)"),
    numeric("f32.convert_i32_s", 0xB2, [i32], f32, "(float)(int32_t)$0"),
    numeric("f32.convert_i32_u", 0xB3, [i32], f32, "(float)$0"),
    numeric("f32.convert_i64_s", 0xB4, [i64], f32, "(float)(int64_t)$0"),
    numeric("f32.convert_i64_u", 0xB5, [i64], f32, "(float)$0"),
    numeric("f32.demote_f64", 0xB6, [f64], f32, "wk_f32_demote($0)"),
    numeric("f64.convert_i32_s", 0xB7, [i32], f64, "(double)(int32_t)$0"),
    numeric("f64.convert_i32_u", 0xB8, [i32], f64, "(double)$0"),
    numeric("f64.convert_i64_s", 0xB9, [i64], f64, "(double)(int64_t)$0"),
    numeric("f64.convert_i64_u", 0xBA, [i64], f64, "(double)$0"),
    numeric("f64.promote_f32", 0xBB, [f32], f64, "(double)$0"),
    numeric("i32.reinterpret_f32", 0xBC, [f32], i32, "wk_f32_bits($0)"),
    numeric("i64.reinterpret_f64", 0xBD, [f64], i64, "wk_f64_bits($0)"),
    numeric("f32.reinterpret_i32", 0xBE, [i32], f32, "wk_f32_from($0)"),
    numeric("f64.reinterpret_i64", 0xBF, [i64], f64, "wk_f64_from($0)"),
    numeric("i32.extend8_s", 0xC0, [i32], i32, "(uint32_t)(int32_t)(int8_t)$0"),
    numeric("i32.extend16_s", 0xC1, [i32], i32, "(uint32_t)(int32_t)(int16_t)$0"),
    numeric("i64.extend8_s", 0xC2, [i64], i64, "(uint64_t)(int64_t)(int8_t)$0"),
    numeric("i64.extend16_s", 0xC3, [i64], i64, "(uint64_t)(int64_t)(int16_t)$0"),
    numeric("i64.extend32_s", 0xC4, [i64], i64, "(uint64_t)(int64_t)(int32_t)$0"),
]

/// abs ... copysign of one float width: the same opcode layout for both.
private func floatArithmetic(_ w: String, _ t: ValueType, _ base: UInt8) -> [Instruction] {
    let unary = ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"]
    let binary: [(String, String)] = [("add", "$0 + $1"), ("sub", "$0 - $1"), ("mul", "$0 * $1"), ("div", "$0 / $1"),
                                      ("min", "wk_\(w)_min($0, $1)"), ("max", "wk_\(w)_max($0, $1)"),
                                      ("copysign", "wk_\(w)_copysign($0, $1)")]
    return unary.enumerated().map { k, op in numeric("\(w).\(op)", base + UInt8(k), [t], t, "wk_\(w)_\(op)($0)") }
        + binary.enumerated().map { k, op in numeric("\(w).\(op.0)", base + 7 + UInt8(k), [t, t], t, op.1) }
}

private func saturating(_ name: String, _ code: UInt32, _ operand: ValueType, _ result: ValueType) -> Instruction {
    Instruction(name, prefix: 0xFC, code: code, rule: .operation, signature: Signature([operand], result),
                c: "wk_\(name.replacing(".", with: "_"))($0)", feature: .saturatingConversions)
}

private let bulkInstructions: [Instruction] = [
    saturating("i32.trunc_sat_f32_s", 0, f32, i32),
    saturating("i32.trunc_sat_f32_u", 1, f32, i32),
    saturating("i32.trunc_sat_f64_s", 2, f64, i32),
    saturating("i32.trunc_sat_f64_u", 3, f64, i32),
    saturating("i64.trunc_sat_f32_s", 4, f32, i64),
    saturating("i64.trunc_sat_f32_u", 5, f32, i64),
    saturating("i64.trunc_sat_f64_s", 6, f64, i64),
    saturating("i64.trunc_sat_f64_u", 7, f64, i64),
    special("memory.init", miscellaneous: 8, .memoryInit, .dataAndMemory, signature: Signature([i32, i32, i32], nil), .bulkMemory),
    special("data.drop", miscellaneous: 9, .dataDrop, .data, signature: Signature([], nil), .bulkMemory),
    special("memory.copy", miscellaneous: 10, .memoryCopy, .twoMemoryIndices, signature: Signature([i32, i32, i32], nil), .bulkMemory),
    special("memory.fill", miscellaneous: 11, .memoryFill, .memoryIndex, signature: Signature([i32, i32, i32], nil), .bulkMemory),
    special("table.init", miscellaneous: 12, .tableInit, .twoIndices, .bulkMemory),
    special("elem.drop", miscellaneous: 13, .elementDrop, .index, .bulkMemory),
    special("table.copy", miscellaneous: 14, .tableCopy, .twoIndices, .bulkMemory),
    special("table.grow", miscellaneous: 15, .tableGrow, .index, .referenceTypes),
    special("table.size", miscellaneous: 16, .tableSize, .index, .referenceTypes),
    special("table.fill", miscellaneous: 17, .tableFill, .index, .referenceTypes),
]

/// SIMD (prefix 0xFD) and relaxed SIMD.
private let vectorInstructions: [Instruction] = [
    vectorLoad("v128.load", 0, alignment: 4),
    vectorLoad("v128.load8x8_s", 1, alignment: 3),
    vectorLoad("v128.load8x8_u", 2, alignment: 3),
    vectorLoad("v128.load16x4_s", 3, alignment: 3),
    vectorLoad("v128.load16x4_u", 4, alignment: 3),
    vectorLoad("v128.load32x2_s", 5, alignment: 3),
    vectorLoad("v128.load32x2_u", 6, alignment: 3),
    vectorLoad("v128.load8_splat", 7, alignment: 0),
    vectorLoad("v128.load16_splat", 8, alignment: 1),
    vectorLoad("v128.load32_splat", 9, alignment: 2),
    vectorLoad("v128.load64_splat", 10, alignment: 3),
    vectorStore("v128.store", 11, alignment: 4),
    Instruction("v128.const", prefix: 0xFD, code: 12, immediates: .v128, rule: .constant, signature: Signature([], v128),
                feature: .simd),
    vector("i8x16.shuffle", 13, [v128, v128], v128, immediates: .shuffle),
    vector("i8x16.swizzle", 14, [v128, v128], v128),
    vector("i8x16.splat", 15, [i32], v128),
    vector("i16x8.splat", 16, [i32], v128),
    vector("i32x4.splat", 17, [i32], v128),
    vector("i64x2.splat", 18, [i64], v128),
    vector("f32x4.splat", 19, [f32], v128),
    vector("f64x2.splat", 20, [f64], v128),
    vector("i8x16.extract_lane_s", 21, [v128], i32, lanes: 16),
    vector("i8x16.extract_lane_u", 22, [v128], i32, lanes: 16),
    vector("i8x16.replace_lane", 23, [v128, i32], v128, lanes: 16),
    vector("i16x8.extract_lane_s", 24, [v128], i32, lanes: 8),
    vector("i16x8.extract_lane_u", 25, [v128], i32, lanes: 8),
    vector("i16x8.replace_lane", 26, [v128, i32], v128, lanes: 8),
    vector("i32x4.extract_lane", 27, [v128], i32, lanes: 4),
    vector("i32x4.replace_lane", 28, [v128, i32], v128, lanes: 4),
    vector("i64x2.extract_lane", 29, [v128], i64, lanes: 2),
    vector("i64x2.replace_lane", 30, [v128, i64], v128, lanes: 2),
    vector("f32x4.extract_lane", 31, [v128], f32, lanes: 4),
    vector("f32x4.replace_lane", 32, [v128, f32], v128, lanes: 4),
    vector("f64x2.extract_lane", 33, [v128], f64, lanes: 2),
    vector("f64x2.replace_lane", 34, [v128, f64], v128, lanes: 2),
    vector("i8x16.eq", 35, [v128, v128], v128),
    vector("i8x16.ne", 36, [v128, v128], v128),
    vector("i8x16.lt_s", 37, [v128, v128], v128),
    vector("i8x16.lt_u", 38, [v128, v128], v128),
    vector("i8x16.gt_s", 39, [v128, v128], v128),
    vector("i8x16.gt_u", 40, [v128, v128], v128),
    vector("i8x16.le_s", 41, [v128, v128], v128),
    vector("i8x16.le_u", 42, [v128, v128], v128),
    vector("i8x16.ge_s", 43, [v128, v128], v128),
    vector("i8x16.ge_u", 44, [v128, v128], v128),
    vector("i16x8.eq", 45, [v128, v128], v128),
    vector("i16x8.ne", 46, [v128, v128], v128),
    vector("i16x8.lt_s", 47, [v128, v128], v128),
    vector("i16x8.lt_u", 48, [v128, v128], v128),
    vector("i16x8.gt_s", 49, [v128, v128], v128),
    vector("i16x8.gt_u", 50, [v128, v128], v128),
    vector("i16x8.le_s", 51, [v128, v128], v128),
    vector("i16x8.le_u", 52, [v128, v128], v128),
    vector("i16x8.ge_s", 53, [v128, v128], v128),
    vector("i16x8.ge_u", 54, [v128, v128], v128),
    vector("i32x4.eq", 55, [v128, v128], v128),
    vector("i32x4.ne", 56, [v128, v128], v128),
    vector("i32x4.lt_s", 57, [v128, v128], v128),
    vector("i32x4.lt_u", 58, [v128, v128], v128),
    vector("i32x4.gt_s", 59, [v128, v128], v128),
    vector("i32x4.gt_u", 60, [v128, v128], v128),
    vector("i32x4.le_s", 61, [v128, v128], v128),
    vector("i32x4.le_u", 62, [v128, v128], v128),
    vector("i32x4.ge_s", 63, [v128, v128], v128),
    vector("i32x4.ge_u", 64, [v128, v128], v128),
    vector("f32x4.eq", 65, [v128, v128], v128),
    vector("f32x4.ne", 66, [v128, v128], v128),
    vector("f32x4.lt", 67, [v128, v128], v128),
    vector("f32x4.gt", 68, [v128, v128], v128),
    vector("f32x4.le", 69, [v128, v128], v128),
    vector("f32x4.ge", 70, [v128, v128], v128),
    vector("f64x2.eq", 71, [v128, v128], v128),
    vector("f64x2.ne", 72, [v128, v128], v128),
    vector("f64x2.lt", 73, [v128, v128], v128),
    vector("f64x2.gt", 74, [v128, v128], v128),
    vector("f64x2.le", 75, [v128, v128], v128),
    vector("f64x2.ge", 76, [v128, v128], v128),
    vector("v128.not", 77, [v128], v128),
    vector("v128.and", 78, [v128, v128], v128),
    vector("v128.andnot", 79, [v128, v128], v128),
    vector("v128.or", 80, [v128, v128], v128),
    vector("v128.xor", 81, [v128, v128], v128),
    vector("v128.bitselect", 82, [v128, v128, v128], v128),
    vector("v128.any_true", 83, [v128], i32),
    vectorLoadLane("v128.load8_lane", 84, alignment: 0, lanes: 16),
    vectorLoadLane("v128.load16_lane", 85, alignment: 1, lanes: 8),
    vectorLoadLane("v128.load32_lane", 86, alignment: 2, lanes: 4),
    vectorLoadLane("v128.load64_lane", 87, alignment: 3, lanes: 2),
    vectorStoreLane("v128.store8_lane", 88, alignment: 0, lanes: 16),
    vectorStoreLane("v128.store16_lane", 89, alignment: 1, lanes: 8),
    vectorStoreLane("v128.store32_lane", 90, alignment: 2, lanes: 4),
    vectorStoreLane("v128.store64_lane", 91, alignment: 3, lanes: 2),
    vectorLoad("v128.load32_zero", 92, alignment: 2),
    vectorLoad("v128.load64_zero", 93, alignment: 3),
    vector("f32x4.demote_f64x2_zero", 94, [v128], v128),
    vector("f64x2.promote_low_f32x4", 95, [v128], v128),
    vector("i8x16.abs", 96, [v128], v128),
    vector("i8x16.neg", 97, [v128], v128),
    vector("i8x16.popcnt", 98, [v128], v128),
    vector("i8x16.all_true", 99, [v128], i32),
    vector("i8x16.bitmask", 100, [v128], i32),
    vector("i8x16.narrow_i16x8_s", 101, [v128, v128], v128),
    vector("i8x16.narrow_i16x8_u", 102, [v128, v128], v128),
    vector("f32x4.ceil", 103, [v128], v128),
    vector("f32x4.floor", 104, [v128], v128),
    vector("f32x4.trunc", 105, [v128], v128),
    vector("f32x4.nearest", 106, [v128], v128),
    vector("i8x16.shl", 107, [v128, i32], v128),
    vector("i8x16.shr_s", 108, [v128, i32], v128),
    vector("i8x16.shr_u", 109, [v128, i32], v128),
    vector("i8x16.add", 110, [v128, v128], v128),
    vector("i8x16.add_sat_s", 111, [v128, v128], v128),
    vector("i8x16.add_sat_u", 112, [v128, v128], v128),
    vector("i8x16.sub", 113, [v128, v128], v128),
    vector("i8x16.sub_sat_s", 114, [v128, v128], v128),
    vector("i8x16.sub_sat_u", 115, [v128, v128], v128),
    vector("f64x2.ceil", 116, [v128], v128),
    vector("f64x2.floor", 117, [v128], v128),
    vector("i8x16.min_s", 118, [v128, v128], v128),
    vector("i8x16.min_u", 119, [v128, v128], v128),
    vector("i8x16.max_s", 120, [v128, v128], v128),
    vector("i8x16.max_u", 121, [v128, v128], v128),
    vector("f64x2.trunc", 122, [v128], v128),
    vector("i8x16.avgr_u", 123, [v128, v128], v128),
    vector("i16x8.extadd_pairwise_i8x16_s", 124, [v128], v128),
    vector("i16x8.extadd_pairwise_i8x16_u", 125, [v128], v128),
    vector("i32x4.extadd_pairwise_i16x8_s", 126, [v128], v128),
    vector("i32x4.extadd_pairwise_i16x8_u", 127, [v128], v128),
    vector("i16x8.abs", 128, [v128], v128),
    vector("i16x8.neg", 129, [v128], v128),
    vector("i16x8.q15mulr_sat_s", 130, [v128, v128], v128),
    vector("i16x8.all_true", 131, [v128], i32),
    vector("i16x8.bitmask", 132, [v128], i32),
    vector("i16x8.narrow_i32x4_s", 133, [v128, v128], v128),
    vector("i16x8.narrow_i32x4_u", 134, [v128, v128], v128),
    vector("i16x8.extend_low_i8x16_s", 135, [v128], v128),
    vector("i16x8.extend_high_i8x16_s", 136, [v128], v128),
    vector("i16x8.extend_low_i8x16_u", 137, [v128], v128),
    vector("i16x8.extend_high_i8x16_u", 138, [v128], v128),
    vector("i16x8.shl", 139, [v128, i32], v128),
    vector("i16x8.shr_s", 140, [v128, i32], v128),
    vector("i16x8.shr_u", 141, [v128, i32], v128),
    vector("i16x8.add", 142, [v128, v128], v128),
    vector("i16x8.add_sat_s", 143, [v128, v128], v128),
    vector("i16x8.add_sat_u", 144, [v128, v128], v128),
    vector("i16x8.sub", 145, [v128, v128], v128),
    vector("i16x8.sub_sat_s", 146, [v128, v128], v128),
    vector("i16x8.sub_sat_u", 147, [v128, v128], v128),
    vector("f64x2.nearest", 148, [v128], v128),
    vector("i16x8.mul", 149, [v128, v128], v128),
    vector("i16x8.min_s", 150, [v128, v128], v128),
    vector("i16x8.min_u", 151, [v128, v128], v128),
    vector("i16x8.max_s", 152, [v128, v128], v128),
    vector("i16x8.max_u", 153, [v128, v128], v128),
    vector("i16x8.avgr_u", 155, [v128, v128], v128),
    vector("i16x8.extmul_low_i8x16_s", 156, [v128, v128], v128),
    vector("i16x8.extmul_high_i8x16_s", 157, [v128, v128], v128),
    vector("i16x8.extmul_low_i8x16_u", 158, [v128, v128], v128),
    vector("i16x8.extmul_high_i8x16_u", 159, [v128, v128], v128),
    vector("i32x4.abs", 160, [v128], v128),
    vector("i32x4.neg", 161, [v128], v128),
    vector("i32x4.all_true", 163, [v128], i32),
    vector("i32x4.bitmask", 164, [v128], i32),
    vector("i32x4.extend_low_i16x8_s", 167, [v128], v128),
    vector("i32x4.extend_high_i16x8_s", 168, [v128], v128),
    vector("i32x4.extend_low_i16x8_u", 169, [v128], v128),
    vector("i32x4.extend_high_i16x8_u", 170, [v128], v128),
    vector("i32x4.shl", 171, [v128, i32], v128),
    vector("i32x4.shr_s", 172, [v128, i32], v128),
    vector("i32x4.shr_u", 173, [v128, i32], v128),
    vector("i32x4.add", 174, [v128, v128], v128),
    vector("i32x4.sub", 177, [v128, v128], v128),
    vector("i32x4.mul", 181, [v128, v128], v128),
    vector("i32x4.min_s", 182, [v128, v128], v128),
    vector("i32x4.min_u", 183, [v128, v128], v128),
    vector("i32x4.max_s", 184, [v128, v128], v128),
    vector("i32x4.max_u", 185, [v128, v128], v128),
    vector("i32x4.dot_i16x8_s", 186, [v128, v128], v128),
    vector("i32x4.extmul_low_i16x8_s", 188, [v128, v128], v128),
    vector("i32x4.extmul_high_i16x8_s", 189, [v128, v128], v128),
    vector("i32x4.extmul_low_i16x8_u", 190, [v128, v128], v128),
    vector("i32x4.extmul_high_i16x8_u", 191, [v128, v128], v128),
    vector("i64x2.abs", 192, [v128], v128),
    vector("i64x2.neg", 193, [v128], v128),
    vector("i64x2.all_true", 195, [v128], i32),
    vector("i64x2.bitmask", 196, [v128], i32),
    vector("i64x2.extend_low_i32x4_s", 199, [v128], v128),
    vector("i64x2.extend_high_i32x4_s", 200, [v128], v128),
    vector("i64x2.extend_low_i32x4_u", 201, [v128], v128),
    vector("i64x2.extend_high_i32x4_u", 202, [v128], v128),
    vector("i64x2.shl", 203, [v128, i32], v128),
    vector("i64x2.shr_s", 204, [v128, i32], v128),
    vector("i64x2.shr_u", 205, [v128, i32], v128),
    vector("i64x2.add", 206, [v128, v128], v128),
    vector("i64x2.sub", 209, [v128, v128], v128),
    vector("i64x2.mul", 213, [v128, v128], v128),
    vector("i64x2.eq", 214, [v128, v128], v128),
    vector("i64x2.ne", 215, [v128, v128], v128),
    vector("i64x2.lt_s", 216, [v128, v128], v128),
    vector("i64x2.gt_s", 217, [v128, v128], v128),
    vector("i64x2.le_s", 218, [v128, v128], v128),
    vector("i64x2.ge_s", 219, [v128, v128], v128),
    vector("i64x2.extmul_low_i32x4_s", 220, [v128, v128], v128),
    vector("i64x2.extmul_high_i32x4_s", 221, [v128, v128], v128),
    vector("i64x2.extmul_low_i32x4_u", 222, [v128, v128], v128),
    vector("i64x2.extmul_high_i32x4_u", 223, [v128, v128], v128),
    vector("f32x4.abs", 224, [v128], v128),
    vector("f32x4.neg", 225, [v128], v128),
    vector("f32x4.sqrt", 227, [v128], v128),
    vector("f32x4.add", 228, [v128, v128], v128),
    vector("f32x4.sub", 229, [v128, v128], v128),
    vector("f32x4.mul", 230, [v128, v128], v128),
    vector("f32x4.div", 231, [v128, v128], v128),
    vector("f32x4.min", 232, [v128, v128], v128),
    vector("f32x4.max", 233, [v128, v128], v128),
    vector("f32x4.pmin", 234, [v128, v128], v128),
    vector("f32x4.pmax", 235, [v128, v128], v128),
    vector("f64x2.abs", 236, [v128], v128),
    vector("f64x2.neg", 237, [v128], v128),
    vector("f64x2.sqrt", 239, [v128], v128),
    vector("f64x2.add", 240, [v128, v128], v128),
    vector("f64x2.sub", 241, [v128, v128], v128),
    vector("f64x2.mul", 242, [v128, v128], v128),
    vector("f64x2.div", 243, [v128, v128], v128),
    vector("f64x2.min", 244, [v128, v128], v128),
    vector("f64x2.max", 245, [v128, v128], v128),
    vector("f64x2.pmin", 246, [v128, v128], v128),
    vector("f64x2.pmax", 247, [v128, v128], v128),
    vector("i32x4.trunc_sat_f32x4_s", 248, [v128], v128),
    vector("i32x4.trunc_sat_f32x4_u", 249, [v128], v128),
    vector("f32x4.convert_i32x4_s", 250, [v128], v128),
    vector("f32x4.convert_i32x4_u", 251, [v128], v128),
    vector("i32x4.trunc_sat_f64x2_s_zero", 252, [v128], v128),
    vector("i32x4.trunc_sat_f64x2_u_zero", 253, [v128], v128),
    vector("f64x2.convert_low_i32x4_s", 254, [v128], v128),
    vector("f64x2.convert_low_i32x4_u", 255, [v128], v128),
    // Relaxed SIMD: results may differ between machines within what the proposal allows.
    vector("i8x16.relaxed_swizzle", 0x100, [v128, v128], v128),
    vector("i32x4.relaxed_trunc_f32x4_s", 0x101, [v128], v128),
    vector("i32x4.relaxed_trunc_f32x4_u", 0x102, [v128], v128),
    vector("i32x4.relaxed_trunc_f64x2_s_zero", 0x103, [v128], v128),
    vector("i32x4.relaxed_trunc_f64x2_u_zero", 0x104, [v128], v128),
    vector("f32x4.relaxed_madd", 0x105, [v128, v128, v128], v128),
    vector("f32x4.relaxed_nmadd", 0x106, [v128, v128, v128], v128),
    vector("f64x2.relaxed_madd", 0x107, [v128, v128, v128], v128),
    vector("f64x2.relaxed_nmadd", 0x108, [v128, v128, v128], v128),
    vector("i8x16.relaxed_laneselect", 0x109, [v128, v128, v128], v128),
    vector("i16x8.relaxed_laneselect", 0x10A, [v128, v128, v128], v128),
    vector("i32x4.relaxed_laneselect", 0x10B, [v128, v128, v128], v128),
    vector("i64x2.relaxed_laneselect", 0x10C, [v128, v128, v128], v128),
    vector("f32x4.relaxed_min", 0x10D, [v128, v128], v128),
    vector("f32x4.relaxed_max", 0x10E, [v128, v128], v128),
    vector("f64x2.relaxed_min", 0x10F, [v128, v128], v128),
    vector("f64x2.relaxed_max", 0x110, [v128, v128], v128),
    vector("i16x8.relaxed_q15mulr_s", 0x111, [v128, v128], v128),
    vector("i16x8.relaxed_dot_i8x16_i7x16_s", 0x112, [v128, v128], v128),
    vector("i32x4.relaxed_dot_i8x16_i7x16_add_s", 0x113, [v128, v128, v128], v128),
]

/// Threads (prefix 0xFE): atomic accesses, read-modify-writes, wait, notify and fence.
/// Their C forms are the atomic helpers of wasmkiln-gen.h (sequentially consistent, and
/// trapping on an unaligned address); wait and notify call the runtime with the memory
/// (`$M`). Narrow forms wrap their operands and zero-extend their results.
private let atomicInstructions: [Instruction] = {
    func atomic(_ name: String, _ code: UInt32, _ rule: Rule, _ operands: [ValueType], _ result: ValueType?,
                alignment: UInt8, _ c: String) -> Instruction {
        Instruction(name, prefix: 0xFE, code: code, immediates: .memory, rule: rule, signature: Signature(operands, result),
                    naturalAlignment: alignment, c: c, feature: .threads)
    }
    var all = [
        atomic("memory.atomic.notify", 0x00, .load, [i32, i32], i32, alignment: 2, "wk_atomic_notify($M, $@, $1)"),
        atomic("memory.atomic.wait32", 0x01, .load, [i32, i32, i64], i32, alignment: 2, "wk_atomic_wait32($M, $@, $1, (int64_t)$2)"),
        atomic("memory.atomic.wait64", 0x02, .load, [i32, i64, i64], i32, alignment: 3, "wk_atomic_wait64($M, $@, $1, (int64_t)$2)"),
        Instruction("atomic.fence", prefix: 0xFE, code: 0x03, immediates: .zeroByte, rule: .operation,
                    signature: Signature([], nil), c: "__atomic_thread_fence(__ATOMIC_SEQ_CST)", feature: .threads),
    ]
    // (name, value type, bits accessed): loads 0x10-0x16, stores 0x17-0x1D.
    let widths: [(String, ValueType, Int)] = [("i32", i32, 32), ("i64", i64, 64), ("i32", i32, 8), ("i32", i32, 16),
                                              ("i64", i64, 8), ("i64", i64, 16), ("i64", i64, 32)]
    func suffix(_ type: String, _ bits: Int, narrow: String = "_u") -> String {
        (type == "i32" && bits == 32) || bits == 64 ? "" : "\(bits)\(narrow)"
    }
    func alignment(_ bits: Int) -> UInt8 { UInt8(bits.trailingZeroBitCount - 3) }
    for (k, (type, value, bits)) in widths.enumerated() {
        let full = suffix(type, bits).isEmpty
        let cType = value == i32 ? "uint32_t" : "uint64_t"
        let load = full ? "wk_atomic_load_u\(bits)($@)" : "(\(cType))wk_atomic_load_u\(bits)($@)"
        all.append(atomic("\(type).atomic.load\(suffix(type, bits))", 0x10 + UInt32(k), .load, [i32], value,
                          alignment: alignment(bits), load))
        let store = full ? "wk_atomic_store_u\(bits)($@, $1)" : "wk_atomic_store_u\(bits)($@, (uint\(bits)_t)$1)"
        all.append(atomic("\(type).atomic.store\(suffix(type, bits, narrow: ""))", 0x17 + UInt32(k), .store, [i32, value], nil,
                          alignment: alignment(bits), store))
    }
    // Each read-modify-write comes in the seven widths, from 0x1E on.
    for (n, operation) in ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"].enumerated() {
        for (k, (type, value, bits)) in widths.enumerated() {
            let cType = value == i32 ? "uint32_t" : "uint64_t"
            let narrow = "uint\(bits)_t"
            let width = suffix(type, bits).isEmpty ? "" : "\(bits)"
            let name = "\(type).atomic.rmw\(width).\(operation)\(width.isEmpty ? "" : "_u")"
            let c = operation == "cmpxchg"
                ? "(\(cType))wk_atomic_cmpxchg_u\(bits)($@, (\(narrow))$1, (\(narrow))$2)"
                : "(\(cType))wk_atomic_\(operation)_u\(bits)($@, (\(narrow))$1)"
            let operands = operation == "cmpxchg" ? [i32, value, value] : [i32, value]
            all.append(atomic(name, 0x1E + UInt32(7 * n + k), .load, operands, value, alignment: alignment(bits), c))
        }
    }
    return all
}()

/// Garbage collection: `ref.eq`, and prefix 0xFB. Validated, not compiled yet.
private let gcInstructions: [Instruction] = {
    func gc(_ name: String, _ code: UInt32, _ rule: Rule, _ immediates: Immediates) -> Instruction {
        Instruction(name, prefix: 0xFB, code: code, immediates: immediates, rule: rule, feature: .gc)
    }
    return [
        Instruction("ref.eq", code: 0xD3, rule: .refEq, feature: .gc),
        gc("struct.new", 0, .structNew, .index), gc("struct.new_default", 1, .structNewDefault, .index),
        gc("struct.get", 2, .structGet, .twoIndices), gc("struct.get_s", 3, .structGet, .twoIndices),
        gc("struct.get_u", 4, .structGet, .twoIndices), gc("struct.set", 5, .structSet, .twoIndices),
        gc("array.new", 6, .arrayNew, .index), gc("array.new_default", 7, .arrayNewDefault, .index),
        gc("array.new_fixed", 8, .arrayNewFixed, .twoIndices), gc("array.new_data", 9, .arrayNewData, .twoIndices),
        gc("array.new_elem", 10, .arrayNewElem, .twoIndices),
        gc("array.get", 11, .arrayGet, .index), gc("array.get_s", 12, .arrayGet, .index), gc("array.get_u", 13, .arrayGet, .index),
        gc("array.set", 14, .arraySet, .index), gc("array.len", 15, .arrayLen, .none), gc("array.fill", 16, .arrayFill, .index),
        gc("array.copy", 17, .arrayCopy, .twoIndices), gc("array.init_data", 18, .arrayInitData, .twoIndices),
        gc("array.init_elem", 19, .arrayInitElem, .twoIndices),
        gc("ref.test", 20, .refTest, .heapType), gc("ref.test", 21, .refTest, .heapType),
        gc("ref.cast", 22, .refCast, .heapType), gc("ref.cast", 23, .refCast, .heapType),
        gc("br_on_cast", 24, .brOnCast, .castBranch), gc("br_on_cast_fail", 25, .brOnCastFail, .castBranch),
        gc("any.convert_extern", 26, .anyConvertExtern, .none), gc("extern.convert_any", 27, .externConvertAny, .none),
        gc("ref.i31", 28, .refI31, .none), gc("i31.get_s", 29, .i31Get, .none), gc("i31.get_u", 30, .i31Get, .none),
    ]
}()
