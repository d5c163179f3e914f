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

/// Limits of a memory (in 64 KiB pages) or a table (in elements).
public struct Limits: Hashable, Sendable {
    public var min: UInt32
    public var max: UInt32?

    public init(min: UInt32, max: UInt32?) {
        self.min = min
        self.max = max
    }
}

public struct TableType: Hashable, Sendable {
    public var elementType: ValueType
    public var limits: Limits
}

public struct MemoryType: Hashable, Sendable {
    public var limits: Limits
    /// Shared between threads (the threads proposal): reserved at its maximum, which it must declare.
    public var shared = false
    /// Log2 of its page size: 16 (64 KiB), or another value from the custom page sizes
    /// proposal, which allows 0 (1-byte pages); validation refuses the rest.
    public var pageSizeLog2: UInt32 = 16
    /// The most pages that fit in 4 GiB (for 1-byte pages, what a u32 can count).
    public var pageLimit: UInt32 { pageSizeLog2 >= 16 ? MemoryType.maxPages : UInt32.max }
    public static let pageSize = 65536
    public static let maxPages: UInt32 = 65536
}

public struct GlobalType: Hashable, Sendable {
    public var valueType: ValueType
    public var isMutable: Bool
}
