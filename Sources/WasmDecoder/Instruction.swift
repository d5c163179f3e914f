/// How one instruction is encoded, typed and lowered: the one description the decoder,
/// the validator and the C lowering all read (the entries are in InstructionTable.swift).
public struct Instruction: Sendable {
    /// The text-format name, e.g. `i32.add`.
    public let name: String
    /// 0 for one-byte opcodes, else the prefix byte (0xFC, 0xFD) that `code` follows as a u32.
    public let prefix: UInt8
    public let code: UInt32
    public let immediates: Immediates
    /// Which rule validates and lowers it (see `Rule`).
    public let rule: Rule
    /// Operand and result types where they are fixed; nil where the rule works them out.
    public let signature: Signature?
    /// Log2 of the bytes a memory access touches (its natural alignment).
    public let naturalAlignment: UInt8
    /// For a lane immediate: how many lanes there are.
    public let lanes: UInt8
    /// The C form, for rules that use one: `$0`, `$1`, `$2` are the operands in push
    /// order, `$@` the checked address of a memory access, `$M` its `wk_memory *`, `$L` a
    /// lane index. Nil where the lowering has its own code, or where the instruction is
    /// not lowered yet.
    public let c: String?
    /// The proposal that added it (what `inspect` lists and refusals name).
    public let feature: Feature

    public init(_ name: String, prefix: UInt8 = 0, code: UInt32, immediates: Immediates = .none, rule: Rule,
                signature: Signature? = nil, naturalAlignment: UInt8 = 0, lanes: UInt8 = 0, c: String? = nil,
                feature: Feature = .core) {
        self.name = name
        self.prefix = prefix
        self.code = code
        self.immediates = immediates
        self.rule = rule
        self.signature = signature
        self.naturalAlignment = naturalAlignment
        self.lanes = lanes
        self.c = c
        self.feature = feature
    }

    /// The encoding as people write it: `0x6a`, `0xfc 8`, `0xfd 110`.
    public var encoding: String {
        prefix == 0 ? "0x\(String(code, radix: 16))" : "0x\(String(prefix, radix: 16)) \(code)"
    }

    /// Whether an operation traps on some operands: integer division and remainder, and
    /// float-to-integer truncation that is not saturating.
    public var trapsOnSomeOperands: Bool {
        rule == .operation && (name.contains(".div_") || name.contains(".rem_") || name.contains(".trunc_f"))
    }
}

/// Operand types in push order (up to three) and the result type; raw ValueType codes,
/// 0 for none, so that checking them costs no array.
public struct Signature: Sendable, Equatable {
    public let first: UInt8, second: UInt8, third: UInt8
    public let result: UInt8

    public init(_ operands: [ValueType], _ result: ValueType?) {
        precondition(operands.count <= 3)
        let codes = operands.map(\.code) + [0, 0, 0]
        (first, second, third) = (codes[0], codes[1], codes[2])
        self.result = result?.code ?? 0
    }

    /// From type codes (0: none).
    public init(codes first: UInt8, _ second: UInt8, _ third: UInt8, result: UInt8) {
        (self.first, self.second, self.third, self.result) = (first, second, third, result)
    }

    public var operandCount: Int { third != 0 ? 3 : second != 0 ? 2 : first != 0 ? 1 : 0 }
}

/// The feature set (proposal) an instruction belongs to.
public enum Feature: Int, Sendable, CaseIterable, CustomStringConvertible {
    case core, signExtension, saturatingConversions, bulkMemory, referenceTypes, simd, relaxedSIMD
    case exceptions, legacyExceptions, tailCalls, threads, functionReferences, gc

    public var description: String {
        switch self {
        case .core: "core"
        case .signExtension: "sign extension"
        case .saturatingConversions: "saturating conversions"
        case .bulkMemory: "bulk memory"
        case .referenceTypes: "reference types"
        case .simd: "SIMD"
        case .relaxedSIMD: "relaxed SIMD"
        case .exceptions: "exceptions"
        case .legacyExceptions: "legacy exceptions"
        case .tailCalls: "tail calls"
        case .threads: "threads"
        case .functionReferences: "typed function references"
        case .gc: "garbage collection"
        }
    }

    /// This feature's bit in a set of features (`FunctionInfo.features`).
    public var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// What follows an opcode, in encoding order.
public enum Immediates: UInt8, Sendable {
    case none
    /// `block`, `loop`, `if`, `try`: an empty type, a value type or a type index.
    case blockType
    /// `try_table`: a block type, then catch clauses.
    case tryTable
    /// One u32 index (label, function, local, global, table, tag, data or element segment).
    case index
    /// Two u32 indices (`call_indirect`'s type and table, `table.init`, `table.copy`).
    case twoIndices
    /// `br_table`: a vector of labels and a default.
    case branchTable
    /// `select t*`: a vector of value types.
    case valueTypes
    /// A memory argument: alignment (flag bit 6: a memory index follows), offset.
    case memory
    /// A memory argument, then a lane index.
    case memoryLane
    /// A memory index (`memory.size`, `memory.grow`, `memory.fill`; a zero byte in Wasm 2.0).
    case memoryIndex
    /// Two memory indices (`memory.copy`).
    case twoMemoryIndices
    /// A data segment index, then a memory index (`memory.init`).
    case dataAndMemory
    /// A data segment index (`data.drop`).
    case data
    /// A reference's heap type (`ref.null`).
    case heapType
    case i32, i64, f32, f64, v128
    /// One lane index.
    case lane
    /// Sixteen lane indices below 32 (`i8x16.shuffle`).
    case shuffle
    /// A reserved zero byte (`atomic.fence`).
    case zeroByte
    /// `br_on_cast`: a flags byte (bit 0: the source is nullable, bit 1: the target), a
    /// label and two heap types.
    case castBranch
}

/// The rule that validates and lowers an instruction. The first four are the table's
/// own: the signature types them and `c` lowers them. The rest have code of their own.
public enum Rule: UInt8, Sendable {
    /// A value computed from the operands by the C expression `c`.
    case operation
    /// A memory read: `c` reads at `$@` after the bounds check; the signature's result is the value.
    case load
    /// A memory write: `c` writes `$1` at `$@`.
    case store
    /// A constant from the immediate.
    case constant

    case unreachable, nop, block, loop, `if`, `else`, end
    case `try`, `catch`, catchAll, delegate, `throw`, rethrow, throwRef, tryTable
    case br, brIf, brTable, `return`, call, callIndirect, returnCall, returnCallIndirect
    case drop, select, selectTyped
    case localGet, localSet, localTee, globalGet, globalSet
    case tableGet, tableSet, tableInit, elementDrop, tableCopy, tableGrow, tableSize, tableFill
    case memorySize, memoryGrow, memoryInit, dataDrop, memoryCopy, memoryFill
    case refNull, refIsNull, refFunc
    /// Typed function references.
    case callRef, returnCallRef, refAsNonNull, brOnNull, brOnNonNull
    /// Garbage collection. `structGet`, `arrayGet` and `i31Get` cover the signed and
    /// unsigned forms, `refTest` and `refCast` the nullable ones (told apart by code).
    case structNew, structNewDefault, structGet, structSet
    case arrayNew, arrayNewDefault, arrayNewFixed, arrayNewData, arrayNewElem, arrayGet, arraySet, arrayLen
    case arrayFill, arrayCopy, arrayInitData, arrayInitElem
    case refTest, refCast, brOnCast, brOnCastFail, anyConvertExtern, externConvertAny, refI31, i31Get, refEq
    /// Known, but WasmKiln reads no further: the module is refused, naming it.
    case unsupported

}

/// Looks instructions up by encoding.
public enum InstructionSet {
    public static let all: [Instruction] = instructionTable

    /// Index into `all` by one-byte opcode, and by code after each prefix; -1 where none.
    static let oneByte = index(prefix: 0, count: 256)
    static let miscellaneous = index(prefix: 0xFC, count: 32)
    static let vector = index(prefix: 0xFD, count: 0x114)
    static let atomic = index(prefix: 0xFE, count: 0x4F)
    static let gc = index(prefix: 0xFB, count: 31)
    /// The fields `InstructionLookup` hands to hot loops, made once (a lookup is made per
    /// function lowered).
    static let featureBits = all.map(\.feature.bit)
    static let rules = all.map(\.rule)
    static let signatures = all.map(\.signature)
    static let immediates = all.map(\.immediates)
    /// The instructions extended constant expressions add to the constant ones.
    public static let extendedConstants: Set<Int> = Set(
        ["i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul"].map { name in all.firstIndex { $0.name == name }! })

    static func index(prefix: UInt8, count: Int) -> [Int16] {
        var table = [Int16](repeating: -1, count: count)
        for (position, instruction) in all.enumerated() where instruction.prefix == prefix {
            precondition(table[Int(instruction.code)] == -1, "\(instruction.name): encoding used twice")
            table[Int(instruction.code)] = Int16(position)
        }
        return table
    }

    /// The instruction with this encoding, as an index into `all`.
    public static func lookup(prefix: UInt8, code: UInt32) -> Int? {
        let table: [Int16]
        switch prefix {
        case 0: table = oneByte
        case 0xFC: table = miscellaneous
        case 0xFD: table = vector
        case 0xFE: table = atomic
        case 0xFB: table = gc
        default: return nil
        }
        guard code < table.count, table[Int(code)] >= 0 else { return nil }
        return Int(table[Int(code)])
    }
}

extension ByteReader {
    /// Reads an opcode (a prefix byte and its u32 code, or one byte) and returns the
    /// instruction's index in `InstructionSet.all`. `table` is the caller's copy of it.
    /// Inlinable: the validator's loop calls it once per instruction.
    @inlinable @inline(__always)
    public mutating func readInstruction(in table: borrowing InstructionLookup) throws(WasmError) -> Int {
        let byte = try readByte()
        let found = table.oneByte[Int(byte)]
        if found >= 0 { return Int(found) }
        return try readPrefixedInstruction(after: byte, in: table)
    }

    @usableFromInline
    mutating func readPrefixedInstruction(after byte: UInt8, in table: borrowing InstructionLookup) throws(WasmError) -> Int {
        let start = position - 1
        guard byte == 0xFC || byte == 0xFD || byte == 0xFE || byte == 0xFB else {
            throw error("illegal opcode 0x\(String(byte, radix: 16))", at: start)
        }
        let code = try readU32()
        let codes = switch byte {
        case 0xFC: table.miscellaneous
        case 0xFD: table.vector
        case 0xFE: table.atomic
        default: table.gc
        }
        guard code < codes.count, codes[Int(code)] >= 0 else {
            throw error("illegal opcode 0x\(String(byte, radix: 16)) \(code)", at: start)
        }
        return Int(codes[Int(code)])
    }

    /// Reads past the immediates of an instruction (in code that is not validated or
    /// lowered, such as unreachable code after validation).
    /// A load's or store's immediates (of a validated body): log2 of its alignment, its
    /// memory (flag bit 6 says an index follows, else 0) and its offset.
    @inlinable
    public mutating func readMemoryArgument() throws(WasmError) -> (alignment: UInt32, memory: UInt32, offset: UInt64) {
        let flags = try readU32()
        let memory = flags & 0x40 != 0 ? try readU32() : 0
        return (flags & ~0x40, memory, try readU64())
    }

    /// Skips a block type: empty, a value type or a type index.
    mutating func skipBlockType() throws(WasmError) {
        let byte = try peekByte()
        if byte == 0x63 || byte == 0x64 { try skipValueType() } else { _ = try readSigned(bits: 33) }
    }

    public mutating func skip(_ immediates: Immediates) throws(WasmError) {
        switch immediates {
        case .none: break
        case .blockType: try skipBlockType()
        case .tryTable:
            try skipBlockType()
            let count = try readCount(minimumElementSize: 2)
            for _ in 0..<count {
                if try readByte() <= 1 { _ = try readU32() }
                _ = try readU32()
            }
        case .index, .data: _ = try readU32()
        case .twoIndices: _ = try readU32(); _ = try readU32()
        case .memory: _ = try readMemoryArgument()
        case .branchTable:
            let count = try readCount()
            for _ in 0...count { _ = try readU32() }
        case .valueTypes:
            for _ in 0..<(try readCount()) { try skipValueType() }
        case .memoryLane: _ = try readMemoryArgument(); try skip(1)
        case .memoryIndex: _ = try readU32()
        case .heapType: _ = try readSigned(bits: 33)
        case .castBranch:
            try skip(1)
            _ = try readU32()
            _ = try readSigned(bits: 33)
            _ = try readSigned(bits: 33)
        case .lane, .zeroByte: try skip(1)
        case .twoMemoryIndices, .dataAndMemory: _ = try readU32(); _ = try readU32()
        case .i32: _ = try readS32()
        case .i64: _ = try readS64()
        case .f32: try skip(4)
        case .f64: try skip(8)
        case .v128, .shuffle: try skip(16)
        }
    }
}

/// The encoding indices of `InstructionSet`, copied into a hot loop's owner: reading a
/// global goes through a lazy initialization check each time.
public struct InstructionLookup: Sendable {
    public let oneByte = InstructionSet.oneByte
    public let miscellaneous = InstructionSet.miscellaneous
    public let vector = InstructionSet.vector
    public let atomic = InstructionSet.atomic
    public let gc = InstructionSet.gc
    /// Per instruction, by index into `InstructionSet.all`: the fields hot loops read, in
    /// arrays of plain values (reading them from `Instruction`, which holds strings, cost
    /// the validator a third of its time).
    public let featureBits = InstructionSet.featureBits
    public let rules = InstructionSet.rules
    public let signatures = InstructionSet.signatures
    public let immediates = InstructionSet.immediates
    public init() {}
}
