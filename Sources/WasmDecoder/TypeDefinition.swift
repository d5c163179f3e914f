/// What a struct field or array element holds: a value, or a packed 8- or 16-bit integer
/// (read as i32).
public enum StorageType: Hashable, Sendable, CustomStringConvertible {
    case value(ValueType)
    case i8
    case i16

    /// The type of the value read from it.
    public var unpacked: ValueType {
        if case .value(let type) = self { return type }
        return .i32
    }

    public var isPacked: Bool { if case .value = self { false } else { true } }

    /// Bytes it takes in an object.
    public var size: Int {
        switch self {
        case .i8: 1
        case .i16: 2
        case .value(let type):
            switch type.kind {
            case .i32, .f32: 4
            case .i64, .f64: 8
            case .v128: 16
            default: MemoryLayout<UnsafeRawPointer>.size
            }
        }
    }

    public var description: String {
        switch self {
        case .value(let type): type.description
        case .i8: "i8"
        case .i16: "i16"
        }
    }
}

/// A struct field or an array's element type.
public struct FieldType: Hashable, Sendable {
    public var storage: StorageType
    public var isMutable: Bool

    public init(storage: StorageType, isMutable: Bool) {
        self.storage = storage
        self.isMutable = isMutable
    }

    /// Whether `struct.new_default`/`array.new_default` can fill it: packed, numeric or nullable.
    public var isDefaultable: Bool { storage.isPacked || storage.unpacked.isDefaultable }
}

/// The shape of a defined type.
public enum CompositeType: Hashable, Sendable {
    case function(FuncType)
    case structure([FieldType])
    case array(FieldType)

    /// The abstract heap type just above it, which references to it have as their kind.
    public var kind: ValueKind {
        switch self {
        case .function: .funcref
        case .structure: .structref
        case .array: .arrayref
        }
    }
}

/// A type of the type section: its composite type, whether it is final, its declared
/// supertype, and the recursive group it belongs to (GC). A plain `(type (func ...))` is
/// final, has no supertype and is a group of its own.
public struct TypeDefinition: Hashable, Sendable {
    public var composite: CompositeType
    public var isFinal: Bool
    public var supertype: UInt32?
    /// The type indices of its recursive group.
    public var group: Range<Int>

    public init(composite: CompositeType, isFinal: Bool = true, supertype: UInt32? = nil, group: Range<Int>) {
        self.composite = composite
        self.isFinal = isFinal
        self.supertype = supertype
        self.group = group
    }

    /// The value types it mentions: params and results, or fields.
    public var valueTypes: [ValueType] {
        switch composite {
        case .function(let type): type.params + type.results
        case .structure(let fields): fields.compactMap { if case .value(let type) = $0.storage { type } else { nil } }
        case .array(let field): if case .value(let type) = field.storage { [type] } else { [] }
        }
    }
}
