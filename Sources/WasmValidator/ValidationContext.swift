import WasmDecoder

/// Read-only facts about a module that every function's validation needs,
/// laid out flat so that the hot loop does no reference counting.
final class ValidationContext: @unchecked Sendable {
    let module: Module
    let edition: Edition
    /// All signatures' value types, back to back, after each one-byte value type once, so
    /// that a single-result block type can point into it.
    let signatureTypes: UnsafeMutablePointer<UInt32>
    /// For type `i`: params at `paramStart[i]`, results right after them.
    let paramStart: [Int]
    let globalTypes: [UInt32]
    let globalMutable: [Bool]
    let tableTypes: [UInt32]
    /// Each table's and memory's address type (i64 under memory64, else i32), and whether
    /// any is i64: only then do memory instructions need more than their signatures.
    let tableAddressTypes: [UInt32]
    let memoryAddressTypes: [UInt8]
    let hasAddress64: Bool
    let elementTypes: [UInt32]
    /// Which types are equal (`TypeCanon.canonical`), each type's kind, and its declared
    /// supertype (GC).
    let canonicalTypes: [UInt32]
    let typeKinds: [ValueKind]
    let supertypes: [UInt32?]
    /// Function indices that `ref.func` may name (the spec's C.refs).
    let declaredReferences: Set<UInt32>

    static let valueTypeCodes: [UInt32] = ValueKind.allCases.map { UInt32($0.rawValue) }

    init(module: Module, edition: Edition = .wasm3) {
        self.module = module
        self.edition = edition
        let total = Self.valueTypeCodes.count + module.types.reduce(0) { $0 + $1.params.count + $1.results.count }
        signatureTypes = .allocate(capacity: max(total, 1))
        var cursor = 0
        for code in Self.valueTypeCodes {
            signatureTypes[cursor] = code
            cursor += 1
        }
        var starts: [Int] = []
        starts.reserveCapacity(module.types.count)
        for type in module.types {
            starts.append(cursor)
            for value in type.params + type.results {
                signatureTypes[cursor] = value.bits
                cursor += 1
            }
        }
        paramStart = starts
        globalTypes = module.globals.map(\.valueType.bits)
        globalMutable = module.globals.map(\.isMutable)
        tableTypes = module.tables.map(\.elementType.bits)
        tableAddressTypes = module.tables.map(\.limits.addressType.bits)
        memoryAddressTypes = module.memories.map(\.limits.addressType.code)
        hasAddress64 = module.tables.contains(where: \.limits.address64) || module.memories.contains(where: \.address64)
        elementTypes = module.elements.map(\.type.bits)
        canonicalTypes = module.typeCanon.canonical
        typeKinds = module.typeKinds
        supertypes = module.typeDefinitions.map(\.supertype)

        var references = Set<UInt32>()
        for export in module.exports where export.kind == .function { references.insert(export.index) }
        for segment in module.elements {
            if case .functions(let list) = segment.items { references.formUnion(list) }
        }
        for expression in module.valueExpressions {
            for case .refFunc(let index) in expression.instructions { references.insert(index) }
        }
        declaredReferences = references
    }

    deinit { signatureTypes.deallocate() }

    /// Pointer to the one-element type list holding `code`, a simple type.
    func single(_ code: UInt32) -> UnsafePointer<UInt32> {
        let index = Self.valueTypeCodes.firstIndex(of: code)!
        return UnsafePointer(signatureTypes + index)
    }

    func params(ofType index: Int) -> (UnsafePointer<UInt32>, Int) {
        (UnsafePointer(signatureTypes + paramStart[index]), module.types[index].params.count)
    }

    func results(ofType index: Int) -> (UnsafePointer<UInt32>, Int) {
        let type = module.types[index]
        return (UnsafePointer(signatureTypes + paramStart[index] + type.params.count), type.results.count)
    }
}

extension ValidationContext {
    /// Whether a value of type `a` may stand where `b` is expected (both `ValueType.bits`;
    /// equal words are handled by the callers' fast paths, but give true here too).
    func isSubtype(_ a: UInt32, of b: UInt32) -> Bool {
        if a == b || a == unknown { return true }
        if a == bottomReference { return isReference(b) }
        let (x, y) = (ValueType(bits: a), ValueType(bits: b))
        guard x.isReference, y.isReference else { return false }
        if x.isNullable && !y.isNullable { return false }
        if let target = y.typeIndex {
            if let source = x.typeIndex { return isTypeSubtype(source, of: target) }
            return x.kind.isBottom && x.kind.top == y.kind.top  // none, nofunc: below every type
        }
        return x.kind.isBelow(y.kind)
    }

    /// Whether defined type `a` is `b` or declares it among its supertypes (GC).
    func isTypeSubtype(_ a: UInt32, of b: UInt32) -> Bool {
        var type = a
        while true {
            if canonicalTypes[Int(type)] == canonicalTypes[Int(b)] { return true }
            // Validation holds supertypes below their subtypes; a loop cannot form.
            guard let supertype = supertypes[Int(type)], supertype < type else { return false }
            type = supertype
        }
    }
}

func typeName(_ type: UInt32) -> String {
    switch type {
    case unknown: "unknown"
    case bottomReference: "(ref none)"
    default: ValueKind(rawValue: UInt8(truncatingIfNeeded: type)) != nil ? ValueType(bits: type).description : "?"
    }
}
