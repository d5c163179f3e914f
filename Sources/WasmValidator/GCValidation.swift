import WasmDecoder

/// The GC proposal's instructions: structs, arrays, i31, casts and conversions.
extension FunctionValidator {
    func validateGC(_ rule: Rule, code: UInt32) throws(WasmError) {
        switch rule {
        case .structNew:
            let (type, fields) = try structType()
            for field in fields.reversed() { try pop(field.storage.unpacked.bits) }
            push(reference(type, nullable: false))
        case .structNewDefault:
            let (type, fields) = try structType()
            guard fields.allSatisfy(isDefaultable) else { throw error("type mismatch: struct.new_default of a field without a default value") }
            push(reference(type, nullable: false))
        case .structGet:
            let (type, fields) = try structType()
            let field = try field(of: fields)
            try checkPacking(field, signed: code == 3 ? true : code == 4 ? false : nil)
            try pop(reference(type, nullable: true))
            push(field.storage.unpacked.bits)
        case .structSet:
            let (type, fields) = try structType()
            let field = try field(of: fields)
            guard field.isMutable else { throw error("field is immutable") }
            try pop(field.storage.unpacked.bits)
            try pop(reference(type, nullable: true))
        case .arrayNew:
            let (type, element) = try arrayType()
            try pop(i32)
            try pop(element.storage.unpacked.bits)
            push(reference(type, nullable: false))
        case .arrayNewDefault:
            let (type, element) = try arrayType()
            guard isDefaultable(element) else { throw error("type mismatch: array.new_default of an element without a default value") }
            try pop(i32)
            push(reference(type, nullable: false))
        case .arrayNewFixed:
            let (type, element) = try arrayType()
            let count = try reader.readU32()
            guard count <= Self.maxFixedArray else { throw error("array.new_fixed of \(count) elements, more than \(Self.maxFixedArray)") }
            for _ in 0..<count { try pop(element.storage.unpacked.bits) }
            push(reference(type, nullable: false))
        case .arrayNewData, .arrayInitData:
            let (type, element) = try arrayType()
            try dataSegment(try reader.readU32())
            guard element.storage.isPacked || !element.storage.unpacked.isReference else {
                throw error("array type is not numeric or vector")
            }
            try popArrayInitOrNew(rule == .arrayInitData, type: type, element: element)
        case .arrayNewElem, .arrayInitElem:
            let (type, element) = try arrayType()
            let segment = try elementType(try reader.readU32())
            guard context.isSubtype(segment, of: element.storage.unpacked.bits) else {
                throw error("type mismatch: element segment's type is not the array's element type")
            }
            try popArrayInitOrNew(rule == .arrayInitElem, type: type, element: element)
        case .arrayGet:
            let (type, element) = try arrayType()
            try checkPacking(element, signed: code == 12 ? true : code == 13 ? false : nil)
            try pop(i32)
            try pop(reference(type, nullable: true))
            push(element.storage.unpacked.bits)
        case .arraySet:
            let (type, element) = try arrayType()
            guard element.isMutable else { throw error("array is immutable") }
            try pop(element.storage.unpacked.bits)
            try pop(i32)
            try pop(reference(type, nullable: true))
        case .arrayLen:
            try pop(ValueType.reference(to: .arrayref, nullable: true).bits)
            push(i32)
        case .arrayFill:
            let (type, element) = try arrayType()
            guard element.isMutable else { throw error("array is immutable") }
            try pop(i32)
            try pop(element.storage.unpacked.bits)
            try pop(i32)
            try pop(reference(type, nullable: true))
        case .arrayCopy:
            let (destination, target) = try arrayType()
            let (source, origin) = try arrayType()
            guard target.isMutable else { throw error("array is immutable") }
            guard storageMatches(origin.storage, target.storage) else { throw error("array types do not match") }
            try pop(i32)
            try pop(i32)
            try pop(reference(source, nullable: true))
            try pop(i32)
            try pop(reference(destination, nullable: true))
        case .refTest, .refCast:
            let target = try heapType(nullable: code == 21 || code == 23)
            try pop(top(of: target))
            push(rule == .refTest ? i32 : target)
        case .brOnCast, .brOnCastFail:
            try castBranch(failing: rule == .brOnCastFail)
        case .anyConvertExtern, .externConvertAny:
            let (from, to): (ValueKind, ValueKind) = rule == .anyConvertExtern ? (.externref, .anyref) : (.anyref, .externref)
            let operand = try popReference()
            guard context.isSubtype(operand, of: ValueType.reference(to: from, nullable: true).bits) else {
                throw mismatch(expected: ValueType.reference(to: from, nullable: true).bits, got: operand)
            }
            let nullable = operand != unknown && operand != bottomReference && ValueType(bits: operand).isNullable
            push(ValueType.reference(to: to, nullable: nullable).bits)
        case .refI31:
            try pop(i32)
            push(ValueType.reference(to: .i31ref, nullable: false).bits)
        case .i31Get:
            try pop(ValueType.reference(to: .i31ref, nullable: true).bits)
            push(i32)
        case .refEq:
            try pop(ValueType.reference(to: .eqref, nullable: true).bits)
            try pop(ValueType.reference(to: .eqref, nullable: true).bits)
            push(i32)
        default:
            throw error("internal error: \(rule) is not a GC instruction")
        }
    }

    /// Implementation limit on `array.new_fixed`'s operands, as in the major engines.
    static let maxFixedArray: UInt32 = 10_000

    func reference(_ type: Int, nullable: Bool) -> UInt32 {
        ValueType.reference(toType: UInt32(type), kind: context.typeKinds[type], nullable: nullable).bits
    }

    func structType() throws(WasmError) -> (Int, [FieldType]) {
        let type = try typeIndex(try reader.readU32())
        guard case .structure(let fields) = context.module.typeDefinitions[type].composite else {
            throw error("type mismatch: type \(type) is not a struct type")
        }
        return (type, fields)
    }

    func arrayType() throws(WasmError) -> (Int, FieldType) {
        let type = try typeIndex(try reader.readU32())
        guard case .array(let element) = context.module.typeDefinitions[type].composite else {
            throw error("type mismatch: type \(type) is not an array type")
        }
        return (type, element)
    }

    func field(of fields: [FieldType]) throws(WasmError) -> FieldType {
        let index = try reader.readU32()
        guard index < fields.count else { throw error("unknown field \(index)") }
        return fields[Int(index)]
    }

    /// `signed` nil for a plain get, which packed storage refuses; the `_s`/`_u` forms need it.
    func checkPacking(_ field: FieldType, signed: Bool?) throws(WasmError) {
        if field.storage.isPacked != (signed != nil) {
            throw error(signed == nil ? "type mismatch: a packed field is read with _s or _u" : "type mismatch: only a packed field is read with _s or _u")
        }
    }

    func isDefaultable(_ field: FieldType) -> Bool {
        field.storage.isPacked || field.storage.unpacked.isDefaultable
    }

    /// Whether elements of one array type may be copied into another's.
    func storageMatches(_ source: StorageType, _ destination: StorageType) -> Bool {
        switch (source, destination) {
        case (.i8, .i8), (.i16, .i16): true
        case (.value(let a), .value(let b)): context.isSubtype(a.bits, of: b.bits)
        default: false
        }
    }

    /// array.new_data/elem: [offset length] → array; array.init_data/elem: [array index offset length] → [].
    func popArrayInitOrNew(_ initializes: Bool, type: Int, element: FieldType) throws(WasmError) {
        try pop(i32)
        try pop(i32)
        if initializes {
            guard element.isMutable else { throw error("array is immutable") }
            try pop(i32)
            try pop(reference(type, nullable: true))
        } else {
            push(reference(type, nullable: false))
        }
    }

    func heapType(nullable: Bool) throws(WasmError) -> UInt32 {
        try reader.readHeapType(typeKinds: context.typeKinds, nullable: nullable).bits
    }

    /// The nullable top type of a reference type's hierarchy (any, func, extern or exn).
    func top(of type: UInt32) -> UInt32 {
        ValueType.reference(to: ValueType(bits: type).kind.top, nullable: true).bits
    }

    /// br_on_cast and br_on_cast_fail: flags (which of the two types are nullable), a
    /// label, the operand's type and the cast's. The label takes the cast's type
    /// (br_on_cast) or what the operand is when the cast fails (br_on_cast_fail).
    func castBranch(failing: Bool) throws(WasmError) {
        let start = reader.position
        let flags = try reader.readByte()
        guard flags <= 3 else {
            instructionStart = start
            throw error("malformed br_on_cast flags")
        }
        let frame = try label(try reader.readU32())
        let from = try heapType(nullable: flags & 1 != 0)
        let to = try heapType(nullable: flags & 2 != 0)
        guard context.isSubtype(to, of: from) else { throw error("type mismatch: br_on_cast's target type is not a subtype of its source") }
        // When the cast fails, the operand is not of `to`: if `to` takes null, it is not null.
        let failed = ValueType(bits: from).isNullable && !ValueType(bits: to).isNullable ? from : from | ValueType.nonNullBit
        let (branched, continuing) = failing ? (failed, to) : (to, failed)
        guard frame.labelCount > 0 else { throw error("type mismatch: br_on_cast needs a label with a reference type") }
        try pop(from)
        push(branched)
        try pop(frame.labelTypes, count: frame.labelCount)
        push(frame.labelTypes, count: frame.labelCount - 1)
        push(continuing)
    }
}
