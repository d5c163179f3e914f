import CLowering
import WasmValidator

/// A compiled module loaded into the process: its `wk_module` and what it declares.
public final class ModuleLibrary: @unchecked Sendable {  // immutable after init
    public let runtime: RuntimeLibrary
    public let path: String
    public let name: String?
    public let imports: [ExternDescriptor]
    public let exports: [ExternDescriptor]
    /// How the module checks memory accesses; imported memories must match.
    public let boundsChecks: BoundsChecks
    /// Whether it has struct or array types: its instances are used on the thread that
    /// created them (their roots are that thread's GC heap's).
    public let usesGC: Bool
    /// The `const wk_module *`.
    let module: UnsafeRawPointer
    private let library: SharedLibrary

    /// Loads a module library built without the runtime (`Builder.moduleLibrary`): the
    /// runtime must be loaded already, since the module's references bind to it.
    public init(path: String, prefix: String, runtime: RuntimeLibrary) throws(LoadError) {
        self.runtime = runtime
        self.path = path
        library = try SharedLibrary.open(path, global: false)
        let module = UnsafeRawPointer(try library.symbol("wk_module_\(prefix)"))
        self.module = module
        name = module.load(fromByteOffset: CLayout.Module.name, as: UnsafePointer<CChar>?.self).map { String(cString: $0) }
        func descriptors(count: Int, array: Int) -> [ExternDescriptor] {
            let count = Int(module.load(fromByteOffset: count, as: UInt32.self))
            guard count > 0, let first = module.load(fromByteOffset: array, as: UnsafeRawPointer?.self) else { return [] }
            return (0..<count).map { ExternDescriptor.read(first + $0 * CLayout.ExternDesc.size) }
        }
        imports = descriptors(count: CLayout.Module.importCount, array: CLayout.Module.imports)
        exports = descriptors(count: CLayout.Module.exportCount, array: CLayout.Module.exports)
        boundsChecks = BoundsChecks(mode: module.load(fromByteOffset: CLayout.Module.boundsMode, as: UInt32.self))
        usesGC = module.load(fromByteOffset: CLayout.Module.usesGC, as: Bool.self)
    }

    /// Builds the module (or finds it in the cache), loads the runtime and then the module.
    public static func load(_ module: ValidatedModule, options: LoweringOptions, builder: Builder) async throws -> ModuleLibrary {
        let runtime = try RuntimeLibrary.load(try await builder.runtimeLibrary().path)
        let built = try await builder.moduleLibrary(module, options: options)
        return try ModuleLibrary(path: built.library.path, prefix: built.prefix, runtime: runtime)
    }

    /// As `load(_:options:builder:)`, with a prefix unique to the module.
    public static func load(_ module: ValidatedModule, boundsChecks: BoundsChecks = .guardPages,
                            builder: Builder) async throws -> ModuleLibrary
    {
        let options = LoweringOptions(prefix: Builder.prefix(for: module), boundsChecks: boundsChecks)
        return try await load(module, options: options, builder: builder)
    }

    /// Creates an instance, running the start function. `imports` are in the order of
    /// `self.imports`; the instance keeps them alive.
    public func instantiate(_ imports: [Extern] = []) throws(InstantiationError) -> Instance {
        guard imports.count == self.imports.count else {
            throw InstantiationError("the module has \(self.imports.count) imports, \(imports.count) given")
        }
        for (given, declared) in zip(imports, self.imports) where given.kind != declared.kind {
            throw InstantiationError("import \(declared) given a \(given.kind)")
        }
        let externs = UnsafeMutableRawPointer.allocate(byteCount: max(1, imports.count) * CLayout.Extern.size, alignment: 8)
        let error = UnsafeMutableRawPointer.allocate(byteCount: CLayout.Error.size, alignment: 8)
        defer {
            externs.deallocate()
            error.deallocate()
        }
        error.storeBytes(of: 0, as: UInt8.self)
        for (index, extern) in imports.enumerated() {
            let slot = externs + index * CLayout.Extern.size
            slot.storeBytes(of: UInt32(extern.kind.rawValue), toByteOffset: CLayout.Extern.kind, as: UInt32.self)
            slot.storeBytes(of: extern.address, toByteOffset: CLayout.Extern.object, as: UnsafeMutableRawPointer.self)
        }

        var call = PendingInstantiation(
            instantiate: module.load(fromByteOffset: CLayout.Module.instantiate, as: UnsafeRawPointer.self),
            imports: externs, error: error, instance: nil)
        let trap = withUnsafeMutablePointer(to: &call) { call in
            runtime.protected({ context in
                // Only raw values live in this frame: a trap longjmps out of it.
                let call = context!.assumingMemoryBound(to: PendingInstantiation.self)
                let instantiate = unsafeBitCast(call.pointee.instantiate, to: InstantiateFunction.self)
                call.pointee.instance = instantiate(call.pointee.imports, call.pointee.error)
            }, UnsafeMutableRawPointer(call))
        }
        if let trap { throw InstantiationError(trap.message, trap: trap) }
        guard let instance = call.instance else {
            let message = String(cString: error.assumingMemoryBound(to: CChar.self))
            throw InstantiationError(message.isEmpty ? "instantiation failed" : message)
        }
        return Instance(module: self, address: instance, imports: imports)
    }

    func free(_ instance: UnsafeMutableRawPointer) {
        let free = unsafeBitCast(module.load(fromByteOffset: CLayout.Module.free, as: UnsafeRawPointer.self),
                                 to: FreeFunction.self)
        free(instance)
    }

    func getExport(_ instance: UnsafeMutableRawPointer, _ name: String) -> (kind: UInt32, object: UnsafeMutableRawPointer)? {
        let getExport = unsafeBitCast(module.load(fromByteOffset: CLayout.Module.getExport, as: UnsafeRawPointer.self),
                                      to: GetExportFunction.self)
        let out = UnsafeMutableRawPointer.allocate(byteCount: CLayout.Extern.size, alignment: 8)
        defer { out.deallocate() }
        let found = name.utf8CString.withUnsafeBufferPointer { text in
            getExport(instance, text.baseAddress, text.count - 1, out)
        }
        guard found,
              let object = out.load(fromByteOffset: CLayout.Extern.object, as: UnsafeMutableRawPointer?.self)
        else { return nil }
        return (out.load(fromByteOffset: CLayout.Extern.kind, as: UInt32.self), object)
    }
}

typealias InstantiateFunction = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
typealias GetExportFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Bool

private struct PendingInstantiation {
    var instantiate: UnsafeRawPointer
    var imports: UnsafeRawPointer
    var error: UnsafeMutableRawPointer
    var instance: UnsafeMutableRawPointer?
}

/// Why a module could not be instantiated: imports that do not fit, or a trap in the
/// start function (then `trap` is set).
public struct InstantiationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var trap: Trap?

    public init(_ description: String, trap: Trap? = nil) {
        self.description = description
        self.trap = trap
    }
}
