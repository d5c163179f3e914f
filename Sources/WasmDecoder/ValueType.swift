/// The kind of a value, as its binary code: a number, a vector, or a reference of an
/// abstract heap type. Every reference is a pointer in C; a reference to a defined type
/// has the kind of the abstract type above it (funcref, structref or arrayref).
public enum ValueKind: UInt8, Sendable, Hashable, CaseIterable {
    case i32 = 0x7F
    case i64 = 0x7E
    case f32 = 0x7D
    case f64 = 0x7C
    case v128 = 0x7B
    case funcref = 0x70
    case externref = 0x6F
    /// Exception references (exception-handling proposal).
    case exnref = 0x69
    // Garbage collection: the internal hierarchy any ⊒ eq ⊒ {i31, struct, array} ⊒ none,
    // and the bottom types of the others.
    case anyref = 0x6E
    case eqref = 0x6D
    case i31ref = 0x6C
    case structref = 0x6B
    case arrayref = 0x6A
    case nullref = 0x71
    case nullexternref = 0x72
    case nullfuncref = 0x73
    case nullexnref = 0x74

    public var isReference: Bool { rawValue <= 0x74 }

    /// The heap type's name in the text format.
    public var heapName: String {
        switch self {
        case .i32, .i64, .f32, .f64, .v128: ""
        case .funcref: "func"
        case .externref: "extern"
        case .exnref: "exn"
        case .anyref: "any"
        case .eqref: "eq"
        case .i31ref: "i31"
        case .structref: "struct"
        case .arrayref: "array"
        case .nullref: "none"
        case .nullexternref: "noextern"
        case .nullfuncref: "nofunc"
        case .nullexnref: "noexn"
        }
    }

    /// The top of its hierarchy: any, func, extern or exn.
    public var top: ValueKind {
        switch self {
        case .funcref, .nullfuncref: .funcref
        case .externref, .nullexternref: .externref
        case .exnref, .nullexnref: .exnref
        case .anyref, .eqref, .i31ref, .structref, .arrayref, .nullref: .anyref
        case .i32, .i64, .f32, .f64, .v128: self
        }
    }

    /// The bottom of its hierarchy.
    public var isBottom: Bool { self == .nullref || self == .nullexternref || self == .nullfuncref || self == .nullexnref }

    /// Whether an abstract heap type is below another (both references).
    public func isBelow(_ other: ValueKind) -> Bool {
        if self == other || other == top { return true }
        if isBottom { return top == other.top }
        return other == .eqref && (self == .i31ref || self == .structref || self == .arrayref)
    }
}

/// A WebAssembly value type as one 32-bit word, so that the validator compares types as
/// integers:
/// - bits 0-7: the kind's binary code (`ValueKind`), so `funcref` is 0x70 as in 2.0;
/// - bit 8: a non-nullable reference (function references' `(ref T)`);
/// - bits 9-31: for a reference to a defined type `(ref null? $t)`, the module's type
///   index + 1; 0 for the abstract heap types.
public struct ValueType: Sendable, Hashable, CustomStringConvertible {
    public let bits: UInt32

    public init(bits: UInt32) { self.bits = bits }

    public init(_ kind: ValueKind) { bits = UInt32(kind.rawValue) }

    /// A type from its one-byte binary form (numbers, vectors and the abstract reference
    /// short forms); nil for other bytes.
    public init?(code: UInt8) {
        guard let kind = ValueKind(rawValue: code) else { return nil }
        self.init(kind)
    }

    /// `(ref null? $index)`, for a type of the abstract kind `kind` (a function type's is
    /// funcref, a struct's structref, an array's arrayref).
    public static func reference(toType index: UInt32, kind: ValueKind = .funcref, nullable: Bool) -> ValueType {
        ValueType(bits: (index + 1) << 9 | (nullable ? 0 : nonNullBit) | UInt32(kind.rawValue))
    }

    /// `(ref null? HEAPTYPE)` for an abstract heap type.
    public static func reference(to kind: ValueKind, nullable: Bool) -> ValueType {
        ValueType(bits: (nullable ? 0 : nonNullBit) | UInt32(kind.rawValue))
    }

    public static let nonNullBit: UInt32 = 0x100

    public static let i32 = ValueType(.i32)
    public static let i64 = ValueType(.i64)
    public static let f32 = ValueType(.f32)
    public static let f64 = ValueType(.f64)
    public static let v128 = ValueType(.v128)
    public static let funcref = ValueType(.funcref)
    public static let externref = ValueType(.externref)
    public static let exnref = ValueType(.exnref)

    /// The binary code of its kind; for references, of the abstract heap type.
    public var code: UInt8 { UInt8(truncatingIfNeeded: bits) }
    public var kind: ValueKind { ValueKind(rawValue: code)! }
    public var isReference: Bool { code <= 0x74 }
    public var isNumeric: Bool { !isReference && kind != .v128 }
    /// A reference that may be null (all of Wasm 2.0's are).
    public var isNullable: Bool { bits & Self.nonNullBit == 0 }
    /// For `(ref null? $t)`, t.
    public var typeIndex: UInt32? { bits >> 9 == 0 ? nil : (bits >> 9) - 1 }
    /// Whether it is one of Wasm 2.0's types (or exnref), which a byte encodes.
    public var isSimple: Bool { bits <= 0xFF }
    /// A local of this type starts as zero or null; a non-nullable reference has no default.
    public var isDefaultable: Bool { isNullable }
    /// The nullable type of the same heap type.
    public var asNullable: ValueType { ValueType(bits: bits & ~Self.nonNullBit) }
    public var asNonNullable: ValueType { ValueType(bits: bits | Self.nonNullBit) }

    public var description: String {
        switch kind {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .v128: return "v128"
        default: break
        }
        if typeIndex == nil && isNullable { return "\(kind)" }  // the short form: funcref, anyref, nullref…
        let heap = typeIndex.map(String.init) ?? kind.heapName
        return isNullable ? "(ref null \(heap))" : "(ref \(heap))"
    }
}

/// A function signature.
public struct FuncType: Hashable, Sendable, CustomStringConvertible {
    public var params: [ValueType]
    public var results: [ValueType]

    public init(params: [ValueType], results: [ValueType]) {
        self.params = params
        self.results = results
    }

    public var description: String {
        "[\(params.map(\.description).joined(separator: " "))] -> [\(results.map(\.description).joined(separator: " "))]"
    }
}

/// Limits of a memory (in pages) or a table (in elements). Read as 64-bit numbers since
/// memory64; validation holds those of 32-bit memories and tables to their range.
public struct Limits: Hashable, Sendable {
    public var min: UInt64
    public var max: UInt64?
    /// memory64: addresses (or a table's indices) are i64 rather than i32.
    public var address64: Bool

    public init(min: UInt64, max: UInt64?, address64: Bool = false) {
        self.min = min
        self.max = max
        self.address64 = address64
    }

    /// The type of the addresses (indices) that instructions use.
    public var addressType: ValueType { address64 ? .i64 : .i32 }
}

public struct TableType: Hashable, Sendable {
    public var elementType: ValueType
    public var limits: Limits
    /// The most elements its index type can count.
    public var sizeLimit: UInt64 { limits.address64 ? UInt64.max : UInt64(UInt32.max) }
}

public struct MemoryType: Hashable, Sendable {
    public var limits: Limits
    /// Shared between threads (the threads proposal): reserved at its maximum, which it must declare.
    public var shared = false
    /// Log2 of its page size: 16 (64 KiB), or another value from the custom page sizes
    /// proposal, which allows 0 (1-byte pages); validation refuses the rest.
    public var pageSizeLog2: UInt32 = 16
    /// The most pages its addresses can reach: 4 GiB for a 32-bit memory (for 1-byte pages,
    /// what a u32 can count), 2^64 bytes for a 64-bit one.
    public var pageLimit: UInt64 {
        if limits.address64 { return pageSizeLog2 >= 16 ? 1 << 48 : UInt64.max }
        return pageSizeLog2 >= 16 ? UInt64(MemoryType.maxPages) : UInt64(UInt32.max)
    }
    public var address64: Bool { limits.address64 }
    public static let pageSize = 65536
    public static let maxPages: UInt32 = 65536
}

public struct GlobalType: Hashable, Sendable {
    public var valueType: ValueType
    public var isMutable: Bool
}

extension ByteReader {
    /// A value type: a byte, or 0x63 (nullable) / 0x64 (non-nullable) and a heap type.
    /// `typeKinds` holds each type's kind (funcref, structref or arrayref); type indices
    /// must be below its count.
    public mutating func readValueType(typeKinds: [ValueKind]) throws(WasmError) -> ValueType {
        let start = position
        let byte = try readByte()
        if let type = ValueType(code: byte) { return type }
        if byte == 0x63 || byte == 0x64 { return try readHeapType(typeKinds: typeKinds, nullable: byte == 0x63) }
        throw error("malformed value type", at: start)
    }

    /// A reference type (of a table or element segment).
    public mutating func readReferenceType(typeKinds: [ValueKind]) throws(WasmError) -> ValueType {
        let start = position
        let type = try readValueType(typeKinds: typeKinds)
        guard type.isReference else { throw error("malformed reference type", at: start) }
        return type
    }

    /// A heap type (s33): an abstract one as a negative byte, else a type index; gives the
    /// reference type to it.
    public mutating func readHeapType(typeKinds: [ValueKind], nullable: Bool) throws(WasmError) -> ValueType {
        let start = position
        let byte = try peekByte()
        if let kind = ValueKind(rawValue: byte), kind.isReference {
            position += 1
            return .reference(to: kind, nullable: nullable)
        }
        let index = try readSigned(bits: 33)
        guard index >= 0 else { throw error("malformed heap type", at: start) }
        guard index < typeKinds.count else { throw error("unknown type \(index)", at: start) }
        return .reference(toType: UInt32(index), kind: typeKinds[Int(index)], nullable: nullable)
    }

    /// Skips a value type.
    public mutating func skipValueType() throws(WasmError) {
        let byte = try readByte()
        if byte == 0x63 || byte == 0x64 { _ = try readSigned(bits: 33) }
    }
}
