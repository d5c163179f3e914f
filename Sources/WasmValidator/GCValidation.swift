import WasmDecoder

/// The GC proposal's instructions: structs, arrays, i31, casts and conversions.
extension FunctionValidator {
    func validateGC(_ rule: Rule, code: UInt32) throws(WasmError) {
        switch rule {
        case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed, .refI31:
            let type = rule == .refI31 ? 0 : try reader.readU32()
            let count = rule == .arrayNewFixed ? try reader.readU32() : 0
            let typing: (operands: [UInt32], result: UInt32)
            do { typing = try context.allocation(rule, type: type, count: count) } catch { throw self.error(error.message) }
            for operand in typing.operands.reversed() { try pop(operand) }
            push(typing.result)
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
            let operand = try popReference()
            do { push(try context.conversion(rule, of: operand)) } catch { throw self.error(error.message) }
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

/// The GC instructions a constant expression may hold, typed once for function bodies
/// and constant expressions. Errors carry no offset: the caller knows it.
extension ValidationContext {
    /// Implementation limit on `array.new_fixed`'s operands, as in the major engines.
    static let maxFixedArray: UInt32 = 10_000

    /// The operands (bottom first) and the result of struct.new(_default),
    /// array.new(_default/_fixed) of type `type` (`count` elements) and ref.i31.
    func allocation(_ rule: Rule, type: UInt32, count: UInt32) throws(WasmError) -> (operands: [UInt32], result: UInt32) {
        func fail(_ message: String) -> WasmError { WasmError(offset: 0, message: message) }
        if rule == .refI31 { return ([i32], ValueType.reference(to: .i31ref, nullable: false).bits) }
        guard Int(type) < module.typeDefinitions.count else { throw fail("unknown type \(type)") }
        let result = ValueType.reference(toType: type, kind: typeKinds[Int(type)], nullable: false).bits
        switch (rule, module.typeDefinitions[Int(type)].composite) {
        case (.structNew, .structure(let fields)):
            return (fields.map(\.storage.unpacked.bits), result)
        case (.structNewDefault, .structure(let fields)):
            guard fields.allSatisfy(\.isDefaultable) else { throw fail("type mismatch: struct.new_default of a field without a default value") }
            return ([], result)
        case (.arrayNew, .array(let element)):
            return ([element.storage.unpacked.bits, i32], result)
        case (.arrayNewDefault, .array(let element)):
            guard element.isDefaultable else { throw fail("type mismatch: array.new_default of an element without a default value") }
            return ([i32], result)
        case (.arrayNewFixed, .array(let element)):
            guard count <= Self.maxFixedArray else { throw fail("array.new_fixed of \(count) elements, more than \(Self.maxFixedArray)") }
            return (Array(repeating: element.storage.unpacked.bits, count: Int(count)), result)
        case (.structNew, _), (.structNewDefault, _):
            throw fail("type mismatch: type \(type) is not a struct type")
        default:
            throw fail("type mismatch: type \(type) is not an array type")
        }
    }

    /// The result of any.convert_extern or extern.convert_any: the other hierarchy's top
    /// type, nullable as the operand is.
    func conversion(_ rule: Rule, of operand: UInt32) throws(WasmError) -> UInt32 {
        let (from, to): (ValueKind, ValueKind) = rule == .anyConvertExtern ? (.externref, .anyref) : (.anyref, .externref)
        let expected = ValueType.reference(to: from, nullable: true).bits
        guard isSubtype(operand, of: expected) else {
            throw WasmError(offset: 0, message: "type mismatch: instruction requires [\(typeName(expected))] but stack has [\(typeName(operand))]")
        }
        let nullable = operand != unknown && operand != bottomReference && ValueType(bits: operand).isNullable
        return ValueType.reference(to: to, nullable: nullable).bits
    }
}
