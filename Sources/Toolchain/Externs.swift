import CWasmKiln
import CLowering
import WasmDecoder

/// wasmkiln.h's `wk_extern_kind` numbers kinds as the binary format does.
public typealias ExternKind = ExternalKind

extension ExternalKind {
    /// The kind a C `wk_extern_kind` value names.
    init?(cValue: UInt32) {
        guard let byte = UInt8(exactly: cValue) else { return nil }
        self.init(rawValue: byte)
    }
}

/// An import or export as a compiled module declares it (`wk_extern_desc`).
public struct ExternDescriptor: Hashable, Sendable, CustomStringConvertible {
    /// The module an import comes from; nil for exports.
    public var module: String?
    public var name: String
    public var kind: ExternKind
    /// A function's signature string ("iI:f") or a global's ("mi"); nil otherwise.
    public var signature: String?
    /// Tables and memories: the limits (`max` nil when absent) and a table's element type.
    public var min: UInt32
    public var max: UInt32?
    public var elementType: ValueType?

    public var functionType: FuncType? { signature.flatMap(Signature.functionType) }

    public init(module: String?, name: String, kind: ExternKind, signature: String?, min: UInt32 = 0, max: UInt32? = nil,
                elementType: ValueType? = nil)
    {
        (self.module, self.name, self.kind, self.signature) = (module, name, kind, signature)
        (self.min, self.max, self.elementType) = (min, max, elementType)
    }

    public var description: String {
        let name = module.map { "\"\($0)\" \"\(self.name)\"" } ?? "\"\(self.name)\""
        return "\(kind) \(name)"
    }

    static func read(_ pointer: UnsafeRawPointer) -> ExternDescriptor {
        func string(_ offset: Int, length lengthOffset: Int? = nil) -> String? {
            guard let text = pointer.load(fromByteOffset: offset, as: UnsafePointer<UInt8>?.self) else { return nil }
            // Names carry their length: they may contain NUL bytes.
            guard let lengthOffset else { return String(cString: text) }
            let length = Int(pointer.load(fromByteOffset: lengthOffset, as: UInt32.self))
            return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
        }
        let max = pointer.load(fromByteOffset: CLayout.ExternDesc.max, as: UInt32.self)
        let kind = ExternKind(cValue: pointer.load(fromByteOffset: CLayout.ExternDesc.kind, as: UInt32.self)) ?? .tag
        return ExternDescriptor(
            module: string(CLayout.ExternDesc.module, length: CLayout.ExternDesc.moduleLength),
            name: string(CLayout.ExternDesc.name, length: CLayout.ExternDesc.nameLength) ?? "",
            kind: kind,
            signature: string(CLayout.ExternDesc.signature),
            min: pointer.load(fromByteOffset: CLayout.ExternDesc.min, as: UInt32.self),
            max: max == UInt32.max ? nil : max,
            elementType: kind == .table
                ? ValueType(code: pointer.load(fromByteOffset: CLayout.ExternDesc.elemType, as: UInt8.self)) : nil)
    }
}

/// A live function, table, memory, global or tag: an instance's export, or a host
/// object made to be imported. Each holds on to whatever owns its C object.
public enum Extern {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    public var kind: ExternKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }

    /// The C object: `const wk_func *`, `wk_table *`, `wk_memory *`, `wk_global *`, or a tag's address.
    public var address: UnsafeMutableRawPointer {
        switch self {
        case .function(let function): UnsafeMutableRawPointer(mutating: function.address)
        case .table(let table): table.address
        case .memory(let memory): memory.address
        case .global(let global): global.address
        case .tag(let tag): tag.address
        }
    }

    var owner: AnyObject? {
        switch self {
        case .function(let function): function.owner
        case .table(let table): table.owner
        case .memory(let memory): memory.owner
        case .global(let global): global.owner
        case .tag(let tag): tag.owner
        }
    }
}

/// An exception tag; only passed between instances.
public struct Tag {
    public let address: UnsafeMutableRawPointer
    let owner: AnyObject?
}

/// A linear memory (`wk_memory`).
public struct Memory {
    public let address: UnsafeMutableRawPointer
    let owner: AnyObject?

    public var pages: UInt32 { address.load(fromByteOffset: CLayout.Memory.pages, as: UInt32.self) }

    /// The accessible bytes, valid until the memory grows.
    public var bytes: UnsafeMutableRawBufferPointer {
        let base = address.load(fromByteOffset: CLayout.Memory.base, as: UnsafeMutableRawPointer?.self)
        let size = address.load(fromByteOffset: CLayout.Memory.size, as: UInt64.self)
        return UnsafeMutableRawBufferPointer(start: base, count: Int(size))
    }

    /// A host memory to import (`wk_memory_new`), freed when nothing uses it any more.
    /// A new memory; `shared` makes it a shared memory (threads), which imports declared
    /// `shared` require.
    public static func create(runtime: RuntimeLibrary, pages: UInt32, maxPages: UInt32? = nil,
                              boundsChecks: BoundsChecks, shared: Bool = false) throws(LoadError) -> Memory
    {
        guard let memory = runtime.memoryNew(pages, maxPages ?? 65536, boundsChecks.mode) else {
            throw LoadError("cannot create a memory of \(pages) pages")
        }
        if shared { memory.storeBytes(of: true, toByteOffset: CLayout.Memory.shared, as: Bool.self) }
        return Memory(address: memory, owner: HostObject(memory, free: runtime.memoryFree))
    }
}

extension BoundsChecks {
    /// The runtime's `wk_bounds_mode` (its raw value, as stored in a `wk_module`).
    var mode: UInt32 { (self == .explicit ? WK_BOUNDS_EXPLICIT : WK_BOUNDS_GUARD).rawValue }

    init(mode: UInt32) {
        self = mode == WK_BOUNDS_EXPLICIT.rawValue ? .explicit : .guardPages
    }
}

/// A table (`wk_table`).
public struct Table {
    public let address: UnsafeMutableRawPointer
    let owner: AnyObject?

    public var size: UInt32 { address.load(fromByteOffset: CLayout.Table.size, as: UInt32.self) }
    public var elementType: ValueType? {
        ValueType(code: address.load(fromByteOffset: CLayout.Table.type, as: UInt8.self))
    }

    /// A host table of null elements to import (`wk_table_new`); `index64` for table64.
    public static func create(runtime: RuntimeLibrary, elementType: ValueType, size: UInt32,
                              max: UInt32? = nil, index64: Bool = false) throws(LoadError) -> Table
    {
        guard let table = runtime.tableNew(elementType.code, size, max ?? UInt32.max, nil) else {
            throw LoadError("cannot create a table of \(size) elements")
        }
        table.storeBytes(of: index64, toByteOffset: CLayout.Table.index64, as: Bool.self)
        return Table(address: table, owner: HostObject(table, free: runtime.tableFree))
    }
}

/// A global (`wk_global`).
public struct Global {
    public let address: UnsafeMutableRawPointer
    let owner: AnyObject?

    public var type: ValueType? {
        ValueType(code: address.load(fromByteOffset: CLayout.Global.type, as: UInt8.self))
    }

    public var isMutable: Bool { address.load(fromByteOffset: CLayout.Global.isMutable, as: Bool.self) }

    public var value: Value {
        get { Value.load(type ?? .i32, from: address + CLayout.Global.value) }
        nonmutating set { newValue.store(to: address + CLayout.Global.value) }
    }

    /// A host global to import.
    public static func create(_ value: Value, mutable: Bool) -> Global {
        let global = UnsafeMutableRawPointer.allocate(byteCount: CLayout.Global.size, alignment: 16)
        global.initializeMemory(as: UInt8.self, repeating: 0, count: CLayout.Global.size)
        value.store(to: global + CLayout.Global.value)
        global.storeBytes(of: value.type.code, toByteOffset: CLayout.Global.type, as: UInt8.self)
        global.storeBytes(of: mutable, toByteOffset: CLayout.Global.isMutable, as: Bool.self)
        return Global(address: global, owner: HostObject(global) { $0?.deallocate() })
    }
}

/// Frees a host-made C object when the last Swift value using it goes away.
final class HostObject {
    let address: UnsafeMutableRawPointer
    let free: (UnsafeMutableRawPointer?) -> Void
    /// Other objects this one needs alive (a host function's closure context, say).
    var keep: [AnyObject] = []

    init(_ address: UnsafeMutableRawPointer, free: @escaping (UnsafeMutableRawPointer?) -> Void) {
        self.address = address
        self.free = free
    }

    deinit { free(address) }
}
