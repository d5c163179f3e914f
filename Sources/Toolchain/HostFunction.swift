import CFFI
import WasmDecoder

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thrown by a host function to trap the WebAssembly code that called it.
public struct HostTrap: Error, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

public typealias HostFunctionBody = ([Value]) throws(HostTrap) -> [Value]

extension Function {
    /// A Swift function that compiled code can import and call: a libffi closure with the
    /// C type wasmkiln.h gives functions of `type`. It must return values of the
    /// type's result types.
    public static func host(runtime: RuntimeLibrary, type: FuncType, _ body: @escaping HostFunctionBody)
        throws(LoadError) -> Function
    {
        guard let signature = Signature.text(type) else { throw LoadError("no host functions of type \(type)") }
        let interface = try CallInterface.of(type)
        let owner = HostFunctionOwner(body: body, interface: interface, trapHost: runtime.trapHost)

        var code: UnsafeMutableRawPointer?
        guard let closure = ffi_closure_alloc(MemoryLayout<ffi_closure>.size, &code), let code else {
            throw LoadError("libffi cannot allocate a closure")
        }
        owner.closure = closure
        let status = ffi_prep_closure_loc(closure.assumingMemoryBound(to: ffi_closure.self), interface.cif, { _, result, arguments, context in
            // Only raw values live in this frame: wk_trap_host longjmps out of it.
            let context = context!.load(as: HostCallContext.self)
            if let message = runHostFunction(context.owner, result!, arguments!) { context.trapHost(message) }
        }, owner.context, code)
        guard status == FFI_OK else { throw LoadError("libffi cannot prepare a closure of type \(type)") }

        owner.function.storeBytes(of: UnsafeRawPointer(code), toByteOffset: CLayout.Func.code, as: UnsafeRawPointer.self)
        owner.function.storeBytes(of: runtime.typeID(signature), toByteOffset: CLayout.Func.typeID, as: UInt32.self)
        owner.function.storeBytes(of: nil, toByteOffset: CLayout.Func.instance, as: UnsafeRawPointer?.self)
        owner.function.storeBytes(of: nil, toByteOffset: CLayout.Func.tail, as: UnsafeRawPointer?.self)
        return Function(address: owner.function, type: type, runtime: runtime, owner: owner)
    }
}

/// What the closure's trampoline reads from its user data: trivial values only.
private struct HostCallContext {
    var owner: UnsafeMutableRawPointer  // an unretained HostFunctionOwner
    var trapHost: TrapHostFunction
}

/// Owns a host function's `wk_func`, closure and Swift body.
private final class HostFunctionOwner {
    let body: HostFunctionBody
    let interface: CallInterface
    let function = UnsafeMutableRawPointer.allocate(byteCount: CLayout.Func.size, alignment: 8)
    let context = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<HostCallContext>.size,
                                                   alignment: MemoryLayout<HostCallContext>.alignment)
    var closure: UnsafeMutableRawPointer?

    init(body: @escaping HostFunctionBody, interface: CallInterface, trapHost: TrapHostFunction) {
        self.body = body
        self.interface = interface
        context.storeBytes(of: HostCallContext(owner: Unmanaged.passUnretained(self).toOpaque(), trapHost: trapHost),
                           as: HostCallContext.self)
    }

    deinit {
        if let closure { ffi_closure_free(closure) }
        function.deallocate()
        context.deallocate()
    }
}

/// Runs the Swift body of a host function on the C arguments and stores its results.
/// Returns a message for wk_trap_host when the body traps (or returns the wrong types);
/// it is never freed, because the trap hands it on after this frame is gone.
private func runHostFunction(_ owner: UnsafeMutableRawPointer, _ result: UnsafeMutableRawPointer,
                             _ arguments: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UnsafePointer<CChar>?
{
    let owner = Unmanaged<HostFunctionOwner>.fromOpaque(owner).takeUnretainedValue()
    let type = owner.interface.type
    // arguments[0] is the (null) instance pointer.
    let values = type.params.enumerated().map { Value.load($0.element, from: arguments[$0.offset + 1]!) }
    do {
        let results = try owner.body(values)
        guard results.map(\.type) == type.results else {
            return UnsafePointer(strdup("host function returned \(results.map(\.type)), expected \(type.results)"))
        }
        owner.interface.store(results, to: result)
        return nil
    } catch {
        return UnsafePointer(strdup(error.message))
    }
}
