import CFFI
import Synchronization
import WasmDecoder

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A prepared libffi call interface for the C type of a compiled function of one
/// signature, `R (*)(void *instance, P...)` as wasmkiln.h describes it. Made once per
/// signature per process and never freed: closures and calls keep pointing at it.
final class CallInterface: @unchecked Sendable {
    let type: FuncType
    let cif: UnsafeMutablePointer<ffi_cif>
    /// Bytes for the return value: at least an `ffi_arg`, because libffi widens small
    /// integer returns to one.
    let resultSize: Int
    /// Where each result lies in the return buffer (several results are a struct).
    let resultOffsets: [Int]

    private init(_ type: FuncType) throws(LoadError) {
        self.type = type
        let arguments = UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>.allocate(capacity: type.params.count + 1)
        arguments[0] = FFITypes.pointer
        for (index, param) in type.params.enumerated() {
            arguments[index + 1] = try FFITypes.of(param)
        }
        let returnType: UnsafeMutablePointer<ffi_type>
        switch type.results.count {
        case 0: returnType = FFITypes.void
        case 1: returnType = try FFITypes.of(type.results[0])
        default: returnType = try FFITypes.structure(type.results.map { (type) throws(LoadError) in try FFITypes.of(type) })
        }
        cif = .allocate(capacity: 1)
        let status = ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(type.params.count + 1), returnType, arguments)
        guard status == FFI_OK else { throw LoadError("libffi cannot describe a function of type \(type)") }

        if type.results.count > 1 {
            var offsets = [Int](repeating: 0, count: type.results.count)
            guard ffi_get_struct_offsets(FFI_DEFAULT_ABI, returnType, &offsets) == FFI_OK else {
                throw LoadError("libffi cannot lay out the results of \(type)")
            }
            resultOffsets = offsets
        } else {
            resultOffsets = [0]
        }
        resultSize = max(returnType.pointee.size, MemoryLayout<UInt64>.size)
    }

    static func of(_ type: FuncType) throws(LoadError) -> CallInterface {
        try interfaces.withLock { (interfaces: inout [FuncType: CallInterface]) throws(LoadError) -> CallInterface in
            if let known = interfaces[type] { return known }
            let interface = try CallInterface(type)
            interfaces[type] = interface
            return interface
        }
    }

    private static let interfaces = Mutex<[FuncType: CallInterface]>([:])

    /// The results stored in a return buffer.
    func results(in buffer: UnsafeRawPointer) -> [Value] {
        zip(type.results, resultOffsets).map { Value.load($0, from: buffer + $1) }
    }

    /// Stores results into a return buffer, widening a single integer result of less
    /// than 8 bytes to a whole `ffi_arg` as libffi expects from closures.
    func store(_ results: [Value], to buffer: UnsafeMutableRawPointer) {
        if results.count == 1, case .i32(let value) = results[0] {
            buffer.storeBytes(of: UInt64(value), as: UInt64.self)
            return
        }
        for (value, offset) in zip(results, resultOffsets) { value.store(to: buffer + offset) }
    }
}

/// libffi's built-in type descriptions, found with dlsym: they are C globals, which
/// Swift 6 will not let us take the address of. Never written after libffi sets them
/// up, hence `nonisolated(unsafe)`.
enum FFITypes {
    nonisolated(unsafe) static let void = builtIn("ffi_type_void")
    nonisolated(unsafe) static let uint32 = builtIn("ffi_type_uint32")
    nonisolated(unsafe) static let uint64 = builtIn("ffi_type_uint64")
    nonisolated(unsafe) static let float = builtIn("ffi_type_float")
    nonisolated(unsafe) static let double = builtIn("ffi_type_double")
    nonisolated(unsafe) static let pointer = builtIn("ffi_type_pointer")
    /// `wk_v128`: a struct of two uint64_t.
    nonisolated(unsafe) static let v128 = try! structure([uint64, uint64])

    static func of(_ type: ValueType) throws(LoadError) -> UnsafeMutablePointer<ffi_type> {
        switch type.kind {
        case .i32: uint32
        case .i64: uint64
        case .f32: float
        case .f64: double
        case .v128: v128
        default: pointer  // references, exnref too: to the host an opaque pointer
        }
    }

    /// A struct of the given fields, as a C compiler would lay it out (libffi computes
    /// its size and alignment when first used).
    static func structure(_ fields: [UnsafeMutablePointer<ffi_type>]) throws(LoadError) -> UnsafeMutablePointer<ffi_type> {
        let elements = UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>.allocate(capacity: fields.count + 1)
        for (index, field) in fields.enumerated() { elements[index] = field }
        elements[fields.count] = nil
        let type = UnsafeMutablePointer<ffi_type>.allocate(capacity: 1)
        type.initialize(to: ffi_type(size: 0, alignment: 0, type: UInt16(FFI_TYPE_STRUCT), elements: elements))
        return type
    }

    private static func builtIn(_ name: String) -> UnsafeMutablePointer<ffi_type> {
        guard let address = dlsym(nil, name) else { fatalError("libffi's \(name) not found") }
        return address.assumingMemoryBound(to: ffi_type.self)
    }
}
