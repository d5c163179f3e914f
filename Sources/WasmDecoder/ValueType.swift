/// A WebAssembly value type, with its binary encoding as the raw value.
public enum ValueType: UInt8, Sendable, Hashable, CustomStringConvertible {
    case i32 = 0x7F
    case i64 = 0x7E
    case f32 = 0x7D
    case f64 = 0x7C
    case v128 = 0x7B
    case funcref = 0x70
    case externref = 0x6F
    /// Exception references (exception-handling proposal).
    case exnref = 0x69

    public var isReference: Bool { self == .funcref || self == .externref || self == .exnref }
    public var isNumeric: Bool { !isReference && self != .v128 }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcref: "funcref"
        case .externref: "externref"
        case .exnref: "exnref"
        }
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
