import CFFI
import CWasmKiln
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
        // A null reference (of any kind) passes for every reference parameter, a host
        // value (an externref) for an anyref one.
        for (index, (argument, param)) in zip(arguments, type.params).enumerated()
        where argument.type != param && !(argument.isNullReference && param.isReference) && !Self.entersAny(argument, param) {
            throw .invalidArguments("argument \(index + 1) must be \(param), not \(argument.type)")
        }
        let hostValues = zip(arguments, type.params).enumerated().filter { Self.entersAny($1.0, $1.1) }.map(\.offset)
        if let thread = (owner as? Instance)?.gcThread, thread != runtime.gcThread() {
            throw .trap(Trap(rawCode: WK_TRAP_WRONG_THREAD.rawValue, message: runtime.text(of: WK_TRAP_WRONG_THREAD.rawValue)))
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
        let boxing = UnsafeMutablePointer<Int>.allocate(capacity: hostValues.count)
        let handles = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: hostValues.count)
        boxing.initialize(from: hostValues.map { $0 + 1 }, count: hostValues.count)
        handles.initialize(repeating: nil, count: hostValues.count)
        defer {
            for index in 0..<hostValues.count where handles[index] != nil { runtime.gcHandleRelease(handles[index]) }
            slots.deallocate()
            pointers.deallocate()
            result.deallocate()
            boxing.deallocate()
            handles.deallocate()
        }
        slots.storeBytes(of: address.load(fromByteOffset: CLayout.Func.instance, as: UnsafeRawPointer?.self),
                         as: UnsafeRawPointer?.self)
        for (index, argument) in arguments.enumerated() {
            argument.store(to: slots + (index + 1) * 16)
        }
        for index in 0..<count { pointers[index] = slots + index * 16 }

        var call = PendingCall(cif: interface.cif, code: address.load(fromByteOffset: CLayout.Func.code, as: UnsafeRawPointer.self),
                               result: result, arguments: pointers, boxing: boxing, boxingCount: hostValues.count,
                               handles: handles, internalize: runtime.gcInternalize, handleNew: runtime.gcHandleNew)
        let trap = withUnsafeMutablePointer(to: &call) { call in
            runtime.protected({ context in
                // Only raw values live in this frame: a trap longjmps out of it.
                let call = context!.load(as: PendingCall.self)
                // Boxing allocates, which may trap (the GC heap's cap) or collect: inside the
                // protection, each box held by a handle before the next is made.
                for index in 0..<call.boxingCount {
                    let slot = call.arguments[call.boxing[index]]!
                    let boxed = call.internalize(slot.load(as: UnsafeMutableRawPointer?.self))
                    call.handles[index] = call.handleNew(boxed)
                    slot.storeBytes(of: boxed, as: UnsafeMutableRawPointer?.self)
                }
                ffi_call(call.cif, unsafeBitCast(call.code, to: (@convention(c) () -> Void).self), call.result, call.arguments)
            }, UnsafeMutableRawPointer(call))
        }
        if let trap { throw .trap(trap) }
        return zip(interface.results(in: result), type.results).map { value, type in runtime.leavingAny(value, type) }
    }

    /// A non-null externref for a parameter of type anyref: a host value, which the call
    /// boxes as `any.convert_extern` would (an object the module gave out stays itself).
    static func entersAny(_ argument: Value, _ param: ValueType) -> Bool {
        guard case .externref(let address) = argument, address != 0 else { return false }
        return param.kind == .anyref && param.typeIndex == nil
    }
}

extension RuntimeLibrary {
    /// A result of type anyref that is a boxed host value comes back as that host value,
    /// so a host value passed in returns as itself; other references are returned as they are.
    func leavingAny(_ value: Value, _ type: ValueType) -> Value {
        guard type.kind == .anyref, type.typeIndex == nil, case .externref(let address) = value,
              let reference = UnsafeRawPointer(bitPattern: address)
        else { return value }
        var host: UnsafeMutableRawPointer?
        return gcHostValue(reference, &host) ? .externref(UInt(bitPattern: host)) : value
    }
}

/// What `ffi_call` needs, handed through `wk_call_protected`'s context pointer.
private struct PendingCall {
    var cif: UnsafeMutablePointer<ffi_cif>
    var code: UnsafeRawPointer
    var result: UnsafeMutableRawPointer
    var arguments: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// The argument slots (indices into `arguments`) holding host values to box, and the
    /// handles that keep the boxes alive until the call returns.
    var boxing: UnsafeMutablePointer<Int>
    var boxingCount: Int
    var handles: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    var internalize: GCConvertFunction
    var handleNew: GCConvertFunction
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
