import CWasmKiln
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to load a library or find what should be in it.
public struct LoadError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The runtime's C functions, as function pointer types.
typealias ProtectedBody = @convention(c) (UnsafeMutableRawPointer?) -> Void
typealias CallProtectedFunction = @convention(c)
    (ProtectedBody?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> UInt32
typealias TrapTextFunction = @convention(c) (UInt32) -> UnsafePointer<CChar>?
typealias TrapHostFunction = @convention(c) (UnsafePointer<CChar>?) -> Void
typealias TypeIDFunction = @convention(c) (UnsafePointer<CChar>?) -> UInt32
typealias MemoryNewFunction = @convention(c) (UInt32, UInt32, UInt32) -> UnsafeMutableRawPointer?
typealias TableNewFunction = @convention(c) (UInt8, UInt32, UInt32, UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
typealias FreeFunction = @convention(c) (UnsafeMutableRawPointer?) -> Void
typealias GCSetCapFunction = @convention(c) (UInt64) -> Void
typealias GCThreadFunction = @convention(c) () -> UnsafeRawPointer?
typealias GCConvertFunction = @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
typealias GCHostValueFunction = @convention(c) (UnsafeRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Bool

/// A `dlopen` handle; libraries are never closed, since instances, and function
/// references in other instances' tables, may point into them at any time.
struct SharedLibrary: @unchecked Sendable {
    let path: String
    let handle: UnsafeMutableRawPointer

    static func open(_ path: String, global: Bool) throws(LoadError) -> SharedLibrary {
        guard let handle = dlopen(path, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL)) else {
            throw LoadError("cannot load \(path): \(lastError())")
        }
        return SharedLibrary(path: path, handle: handle)
    }

    func symbol(_ name: String) throws(LoadError) -> UnsafeMutableRawPointer {
        guard let address = dlsym(handle, name) else {
            throw LoadError("\(path) has no symbol \(name)")
        }
        return address
    }

    func function<F>(_ name: String, as type: F.Type) throws(LoadError) -> F {
        unsafeBitCast(try symbol(name), to: type)
    }

    static func lastError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown error"
    }
}

/// The C runtime (`libwasmkiln-rt.so`), loaded once per process with RTLD_GLOBAL so that
/// every module library binds to the same copy: one registry of type ids, one set of
/// thread-local trap and stack state.
public final class RuntimeLibrary: Sendable {
    public var path: String { library.path }
    let library: SharedLibrary
    let callProtected: CallProtectedFunction
    let trapText: TrapTextFunction
    let trapHost: TrapHostFunction
    let typeIDFunction: TypeIDFunction
    let memoryNew: MemoryNewFunction
    let memoryFree: FreeFunction
    let tableNew: TableNewFunction
    let tableFree: FreeFunction
    let gcSetCap: GCSetCapFunction
    let gcInternalize: GCConvertFunction
    let gcHostValue: GCHostValueFunction
    let gcHandleNew: GCConvertFunction
    let gcHandleRelease: FreeFunction
    let gcThread: GCThreadFunction

    private init(_ library: SharedLibrary) throws(LoadError) {
        self.library = library
        callProtected = try library.function("wk_call_protected", as: CallProtectedFunction.self)
        trapText = try library.function("wk_trap_text", as: TrapTextFunction.self)
        trapHost = try library.function("wk_trap_host", as: TrapHostFunction.self)
        typeIDFunction = try library.function("wk_type_id", as: TypeIDFunction.self)
        memoryNew = try library.function("wk_memory_new", as: MemoryNewFunction.self)
        memoryFree = try library.function("wk_memory_free", as: FreeFunction.self)
        tableNew = try library.function("wk_table_new", as: TableNewFunction.self)
        tableFree = try library.function("wk_table_free", as: FreeFunction.self)
        gcSetCap = try library.function("wk_gc_set_cap", as: GCSetCapFunction.self)
        gcInternalize = try library.function("wk_gc_internalize", as: GCConvertFunction.self)
        gcHostValue = try library.function("wk_gc_host_value", as: GCHostValueFunction.self)
        gcHandleNew = try library.function("wk_gc_handle_new", as: GCConvertFunction.self)
        gcHandleRelease = try library.function("wk_gc_handle_release", as: FreeFunction.self)
        gcThread = try library.function("wk_gc_thread", as: GCThreadFunction.self)
    }

    /// The process's runtime: loads `path` the first time; later calls return that first
    /// runtime whatever their path, because a second copy would split the runtime's state.
    public static func load(_ path: String) throws(LoadError) -> RuntimeLibrary {
        try loaded.withLock { (loaded: inout RuntimeLibrary?) throws(LoadError) -> RuntimeLibrary in
            if let loaded { return loaded }
            let runtime = try RuntimeLibrary(SharedLibrary.open(path, global: true))
            loaded = runtime
            return runtime
        }
    }

    /// The runtime loaded in this process, if any.
    public static var current: RuntimeLibrary? { loaded.withLock { $0 } }

    private static let loaded = Mutex<RuntimeLibrary?>(nil)

    /// `wk_type_id`: the process-wide id of a signature string.
    public func typeID(_ signature: String) -> UInt32 {
        typeIDFunction(signature)
    }

    /// Caps the calling thread's GC heap (`wk_gc_set_cap`): an allocation past it traps.
    public func setGCHeapCap(_ bytes: UInt64) {
        gcSetCap(bytes)
    }

    /// The spec's text for a trap code (`wk_trap_text`).
    public func text(of code: UInt32) -> String {
        trapText(code).map { String(cString: $0) } ?? "trap \(code)"
    }

    /// Runs `body(context)` inside `wk_call_protected`: nil if it returned, else the trap.
    /// `body` must be a C-convention function that touches only raw memory: a trap
    /// longjmps out of it, past any Swift cleanup.
    func protected(_ body: ProtectedBody, _ context: UnsafeMutableRawPointer) -> Trap? {
        var message: UnsafePointer<CChar>?
        let code = callProtected(body, context, &message)
        guard code != 0 else { return nil }
        let hostMessage = code == WK_TRAP_HOST.rawValue ? message.map { String(cString: $0) } : nil
        return Trap(rawCode: code, message: hostMessage ?? text(of: code))
    }
}

/// A WebAssembly trap: its `wk_trap_code` and the spec's text ("integer divide by zero"),
/// or a host function's message.
public struct Trap: Error, Hashable, Sendable, CustomStringConvertible {
    public var rawCode: UInt32
    public var message: String
    /// The runtime's `wk_trap_code` (`WK_TRAP_DIVIDE_BY_ZERO`, …).
    public var code: wk_trap_code { wk_trap_code(rawValue: rawCode) }
    public var description: String { message }

    public init(rawCode: UInt32, message: String) {
        self.rawCode = rawCode
        self.message = message
    }
}
