import CFFI
import WasmDecoder

/// A function (`const wk_func *`): an export of an instance, or a host function.
public struct Function {
    public let address: UnsafeRawPointer
    public let type: FuncType
    let runtime: RuntimeLibrary
    let owner: AnyObject?

    /// Calls the function through libffi inside `wk_call_protected`.
    public func call(_ arguments: [Value]) throws(CallError) -> [Value] {
        guard arguments.count == type.params.count else {
            throw .invalidArguments("expects \(type.params.count) argument\(type.params.count == 1 ? "" : "s"), got \(arguments.count)")
        }
        // A null reference (of any kind) passes for every reference parameter.
        for (index, (argument, param)) in zip(arguments, type.params).enumerated()
        where argument.type != param && !(argument.isNullReference && param.isReference) {
            throw .invalidArguments("argument \(index + 1) must be \(param), not \(argument.type)")
        }
        let interface: CallInterface
        do {
            interface = try CallInterface.of(type)
        } catch {
            throw .invalidArguments(error.description)
        }

        // One 16-byte slot per C argument (the largest is a wk_v128), the instance first.
        let count = arguments.count + 1
        let slots = UnsafeMutableRawPointer.allocate(byteCount: count * 16, alignment: 16)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: count)
        let result = UnsafeMutableRawPointer.allocate(byteCount: interface.resultSize, alignment: 16)
        defer {
            slots.deallocate()
            pointers.deallocate()
            result.deallocate()
        }
        slots.storeBytes(of: address.load(fromByteOffset: CLayout.Func.instance, as: UnsafeRawPointer?.self),
                         as: UnsafeRawPointer?.self)
        for (index, argument) in arguments.enumerated() {
            argument.store(to: slots + (index + 1) * 16)
        }
        for index in 0..<count { pointers[index] = slots + index * 16 }

        var call = PendingCall(cif: interface.cif, code: address.load(fromByteOffset: CLayout.Func.code, as: UnsafeRawPointer.self),
                               result: result, arguments: pointers)
        let trap = withUnsafeMutablePointer(to: &call) { call in
            runtime.protected({ context in
                // Only raw values live in this frame: a trap longjmps out of it.
                let call = context!.load(as: PendingCall.self)
                ffi_call(call.cif, unsafeBitCast(call.code, to: (@convention(c) () -> Void).self), call.result, call.arguments)
            }, UnsafeMutableRawPointer(call))
        }
        if let trap { throw .trap(trap) }
        return interface.results(in: result)
    }
}

/// What `ffi_call` needs, handed through `wk_call_protected`'s context pointer.
private struct PendingCall {
    var cif: UnsafeMutablePointer<ffi_cif>
    var code: UnsafeRawPointer
    var result: UnsafeMutableRawPointer
    var arguments: UnsafeMutablePointer<UnsafeMutableRawPointer?>
}

/// Why a call returned no results.
public enum CallError: Error, CustomStringConvertible, Equatable {
    /// The function trapped.
    case trap(Trap)
    /// The arguments do not match the function's type.
    case invalidArguments(String)

    public var description: String {
        switch self {
        case .trap(let trap): "trap: \(trap.message)"
        case .invalidArguments(let message): message
        }
    }
}
