import Synchronization

/// A decoded WebAssembly module. Function bodies and data stay in `bytes`;
/// the model refers to them by byte range, so decoding copies no code.
public struct Module: Sendable {
    /// The whole binary, as read.
    public let bytes: [UInt8]

    /// The type section's types. A struct or array type has an empty function type here;
    /// validation refuses it where a function type is needed.
    public var types: [FuncType] = []
    /// The same types in full (GC: structs, arrays, subtyping, recursive groups).
    public var typeDefinitions: [TypeDefinition] = []
    /// Each type's kind: what references to it are (funcref, structref or arrayref).
    public var typeKinds: [ValueKind] = []
    /// The types' signatures and which are equal.
    public var typeCanon = TypeCanon()
    public var imports: [Import] = []
    /// Type indices of the functions this module defines (the function section).
    public var definedFunctionTypes: [UInt32] = []
    public var definedTables: [TableType] = []
    /// For each defined table, the expression its elements start as (function
    /// references' `(table T expr)`); nil for null.
    public var definedTableInitializers: [ConstExpr?] = []
    public var definedMemories: [MemoryType] = []
    /// Type indices of the tags this module defines (exception handling).
    public var definedTags: [UInt32] = []
    public var definedGlobals: [Global] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var startOffset = 0
    public var elements: [ElementSegment] = []
    public var dataCount: UInt32?
    public var codes: [FunctionBody] = []
    public var data: [DataSegment] = []
    public var customSections: [CustomSection] = []
    public var sections: [SectionInfo] = []
    /// The `name` section, decoded on first use: a large module's names (megabytes of
    /// them) are only needed for messages and generated C, not for validation.
    public var names: NameSection { nameSection.value }
    var nameSection = LazyNameSection()

    // Whole index spaces, imports first.
    public var functionTypes: [UInt32] = []
    public var tables: [TableType] = []
    public var memories: [MemoryType] = []
    public var globals: [GlobalType] = []
    public var tags: [UInt32] = []

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var importedFunctionCount: Int { functionTypes.count - definedFunctionTypes.count }
    public var importedGlobalCount: Int { globals.count - definedGlobals.count }

    /// Whether the module defines struct or array types (GC's, beside function types).
    public var hasGCTypes: Bool { typeKinds.contains { $0 != .funcref } }

    /// The constant expressions that make values: global and table initializers and
    /// element items (segment offsets, which make only addresses, are not among them).
    public var valueExpressions: [ConstExpr] {
        var expressions = definedGlobals.map(\.initializer) + definedTableInitializers.compactMap { $0 }
        for segment in elements {
            if case .expressions(let list) = segment.items { expressions += list }
        }
        return expressions
    }

    /// The signature of function `index` (imports first), if it exists.
    public func functionType(_ index: UInt32) -> FuncType? {
        guard Int(index) < functionTypes.count else { return nil }
        let typeIndex = Int(functionTypes[Int(index)])
        return typeIndex < types.count ? types[typeIndex] : nil
    }

    /// Function `index`'s name from the name section, else from an export or import.
    public func functionName(_ index: UInt32) -> String? {
        if let name = names.functionNames[index] { return name }
        if let export = exports.first(where: { $0.kind == .function && $0.index == index }) { return export.name }
        if Int(index) < importedFunctionCount {
            let functionImports = imports.lazy.filter { if case .function = $0.kind { true } else { false } }
            let entry = functionImports[functionImports.index(functionImports.startIndex, offsetBy: Int(index))]
            return "\(entry.module).\(entry.name)"
        }
        return nil
    }
}

public enum ExternalKind: UInt8, Sendable, CustomStringConvertible {
    case function = 0, table = 1, memory = 2, global = 3, tag = 4

    public var description: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}

public enum ImportKind: Sendable, Hashable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(typeIndex: UInt32)

    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

public struct Import: Sendable {
    public var module: String
    public var name: String
    public var kind: ImportKind
    public var offset: Int
}

public struct Export: Sendable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32
    public var offset: Int
}

/// One instruction of a constant expression.
public enum ConstInstruction: Sendable, Hashable {
    case i32Const(Int32)
    case i64Const(Int64)
    case f32Const(bits: UInt32)
    case f64Const(bits: UInt64)
    case v128Const(low: UInt64, high: UInt64)
    case refNull(ValueType)
    case refFunc(UInt32)
    case globalGet(UInt32)
    /// i32/i64 add, sub or mul (extended constant expressions): the instruction's index
    /// in `InstructionSet.all`, whose signature and C form apply.
    case numeric(Int)
    /// A GC instruction allowed in constant expressions (struct.new, struct.new_default,
    /// array.new, array.new_default, array.new_fixed, ref.i31, any.convert_extern,
    /// extern.convert_any): its index in `InstructionSet.all` and its immediates.
    case gc(Int, [UInt32])
}

public struct ConstExpr: Sendable {
    public var instructions: [ConstInstruction]
    /// Offset of the first instruction, and of each instruction.
    public var offsets: [Int]
    public var offset: Int { offsets.first ?? 0 }
}

public struct Global: Sendable {
    public var type: GlobalType
    public var initializer: ConstExpr
}

public enum ElementMode: Sendable {
    case passive
    case active(table: UInt32, offset: ConstExpr)
    case declarative
}

public enum ElementItems: Sendable {
    case functions([UInt32])
    case expressions([ConstExpr])

    public var count: Int {
        switch self {
        case .functions(let list): list.count
        case .expressions(let list): list.count
        }
    }
}

public struct ElementSegment: Sendable {
    public var mode: ElementMode
    public var type: ValueType
    public var items: ElementItems
    public var offset: Int
}

public enum DataMode: Sendable {
    case passive
    case active(memory: UInt32, offset: ConstExpr)
}

public struct DataSegment: Sendable {
    public var mode: DataMode
    /// The segment's bytes, as a range of `Module.bytes`.
    public var range: Range<Int>
    public var offset: Int
}

/// A run of locals of one type, as the code section declares them.
public struct LocalRun: Sendable, Hashable {
    public var count: UInt32
    public var type: ValueType
}

public struct FunctionBody: Sendable {
    public var locals: [LocalRun]
    public var localCount: UInt32
    /// The instructions, through the final `end`, as a range of `Module.bytes`.
    public var code: Range<Int>
    /// Offset of the body's size field.
    public var offset: Int
}

public struct CustomSection: Sendable {
    public var name: String
    /// The payload after the name, as a range of `Module.bytes`.
    public var range: Range<Int>
    public var offset: Int
}

public struct SectionInfo: Sendable {
    public var id: UInt8
    /// The payload, as a range of `Module.bytes`.
    public var range: Range<Int>
    public var customName: String?

    public var name: String {
        switch id {
        case 0: "custom \"\(customName ?? "")\""
        case 1: "type"
        case 2: "import"
        case 3: "function"
        case 4: "table"
        case 5: "memory"
        case 6: "global"
        case 7: "export"
        case 8: "start"
        case 9: "element"
        case 10: "code"
        case 11: "data"
        case 12: "data count"
        case 13: "tag"
        default: "unknown"
        }
    }
}

/// Decodes the `name` section once, when first asked; safe to share between threads.
final class LazyNameSection: @unchecked Sendable {
    private let lock = Mutex<NameSection?>(nil)
    private let bytes: [UInt8]
    private let range: Range<Int>

    init(bytes: [UInt8] = [], range: Range<Int> = 0..<0) {
        self.bytes = bytes
        self.range = range
    }

    var value: NameSection {
        lock.withLock { cached in
            if let cached { return cached }
            var decoded = NameSection()
            if !range.isEmpty {
                bytes.withUnsafeBufferPointer { buffer in
                    // A malformed name section does not make the module invalid: it is ignored.
                    var decoder = NameSectionDecoder(reader: ByteReader(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound))
                    if let names = try? decoder.decode() { decoded = names }
                }
            }
            cached = decoded
            return decoded
        }
    }
}

/// The contents of the `name` custom section (module, function, local and memory names).
public struct NameSection: Sendable {
    public var moduleName: String?
    public var functionNames: [UInt32: String] = [:]
    public var localNames: [UInt32: [UInt32: String]] = [:]
    public var memoryNames: [UInt32: String] = [:]
    /// Names of types, and of each struct type's fields (GC's extended name section).
    public var typeNames: [UInt32: String] = [:]
    public var fieldNames: [UInt32: [UInt32: String]] = [:]
    public init() {}
}
