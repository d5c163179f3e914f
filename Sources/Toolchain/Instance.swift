/// An instance of a compiled module. Freed when neither it nor any export taken from it
/// is referenced any more. Not for concurrent use from several threads.
public final class Instance {
    public let module: ModuleLibrary
    /// The `wk_instance *`.
    public let address: UnsafeMutableRawPointer
    /// Kept alive as long as the instance may use them.
    private let imports: [Extern]
    /// With GC types, the thread that created it (`wk_gc_thread`), the only one its
    /// functions may be called on; nil without.
    let gcThread: UnsafeRawPointer?

    /// Made on the thread that instantiated it.
    init(module: ModuleLibrary, address: UnsafeMutableRawPointer, imports: [Extern]) {
        self.module = module
        self.address = address
        self.imports = imports
        gcThread = module.usesGC ? module.runtime.gcThread() : nil
    }

    deinit { module.free(address) }

    /// The export named `name`, or nil.
    public func export(_ name: String) -> Extern? {
        guard let (rawKind, object) = module.getExport(address, name), let kind = ExternKind(cValue: rawKind) else {
            return nil
        }
        switch kind {
        case .function:
            // Compared as bytes: Swift's String equality merges canonically equivalent names.
            guard let type = module.exports.first(where: { $0.name.utf8.elementsEqual(name.utf8) })?.functionType else { return nil }
            return .function(Function(address: object, type: type, runtime: module.runtime, owner: self))
        case .table: return .table(Table(address: object, owner: self))
        case .memory: return .memory(Memory(address: object, owner: self))
        case .global: return .global(Global(address: object, owner: self))
        case .tag: return .tag(Tag(address: object, owner: self))
        }
    }

    /// The function export named `name`, or nil.
    public func function(_ name: String) -> Function? {
        if case .function(let function)? = export(name) { return function }
        return nil
    }

    /// Calls the function export named `name`.
    public func call(_ name: String, _ arguments: [Value]) throws(CallError) -> [Value] {
        guard let function = function(name) else { throw .invalidArguments("no function export \"\(name)\"") }
        return try function.call(arguments)
    }
}
