import WasmDecoder

/// Where a GC object's fields lie: a struct's fields one after another, each aligned to
/// its size (at most 8: a v128 field is read and written with memcpy), after the object's
/// header (`wk_gc_fields`); an array's elements at `size` bytes each.
struct GCLayout {
    /// A struct's fields' byte offsets, and their total size.
    static func fields(_ fields: [FieldType]) -> (offsets: [Int], size: Int) {
        var offset = 0
        var offsets: [Int] = []
        for field in fields {
            let size = field.storage.size, alignment = min(size, 8)
            offset = (offset + alignment - 1) / alignment * alignment
            offsets.append(offset)
            offset += size
        }
        return (offsets, (offset + 7) / 8 * 8)
    }

    /// The accessor suffix of `wk_gc_get_*`/`wk_gc_set_*` for a storage type; `signed`
    /// for the packed `_s` reads.
    static func accessor(_ storage: StorageType, signed: Bool = false) -> String {
        switch storage {
        case .i8: signed ? "s8" : "u8"
        case .i16: signed ? "s16" : "u16"
        case .value(let type):
            switch type.kind {
            case .i32: "u32"
            case .i64: "u64"
            case .f32: "f32"
            case .f64: "f64"
            case .v128: "v128"
            default: "ref"
            }
        }
    }

    /// How the collector marks what a field or element holds: a GC reference as such, an
    /// externref after checking it is an object (it may be a host value); nil when it holds
    /// no object (numbers, funcref, exnref).
    enum Marking { case gc, extern }
    static func marking(_ storage: StorageType) -> Marking? {
        guard case .value(let type) = storage, type.isReference else { return nil }
        return type.isGCReference ? .gc : type.kind.top == .externref ? .extern : nil
    }
}

/// The GC references a function holds in a shadow-stack frame (WK_GC_ROOTS): in a
/// function that calls or allocates, every local and stack slot of GC's internal
/// hierarchy, so that a collection inside finds them all. They are named as before
/// (`l3`, `s2g`) by macros for their frame slots, defined after the declarations and
/// undefined after the function. A function that neither calls nor allocates, or holds no
/// such reference, has no frame and pays nothing.
struct GCRoots {
    /// Frame slot of each local kept there.
    var locals: [Int: Int] = [:]
    var declarations = ""
    var undefinitions = ""
    var isEmpty: Bool { declarations.isEmpty }
}

extension FunctionLowering {
    func gcRoots(locals: [ValueType]) -> GCRoots {
        var roots = GCRoots()
        // In a module with GC types an externref may hold an object (extern.convert_any):
        // its slots (shared with funcref, which the collector tells apart) join the frame.
        let classes = [ValueType(.anyref)] + (hasGCTypes ? [ValueType(.externref)] : [])
        let gcSlots = classes.flatMap { type in
            slotTypes.indices.filter { slotTypes[$0] & type.slotBit != 0 }.map { "s\($0)\(type.slotSuffix)" }
        }
        let gcLocals = usedLocals.sorted().filter { locals[$0].isGCReference || (hasGCTypes && locals[$0].kind.top == .externref) }
        guard mayCollect, !(gcSlots.isEmpty && gcLocals.isEmpty) else { return roots }
        var text = "    WK_GC_ROOTS(gc_, \(gcLocals.count + gcSlots.count));\n"
        var macros = ""
        for (k, n) in gcLocals.enumerated() {
            roots.locals[n] = k
            // A parameter comes in a C variable of its name: it is copied to its slot first.
            if n < type.params.count { text += "    gc_[\(k)] = l\(n);\n" }
            macros += "#define l\(n) gc_[\(k)]\n"
            roots.undefinitions += "#undef l\(n)\n"
        }
        for (k, slot) in gcSlots.enumerated() {
            macros += "#define \(slot) gc_[\(gcLocals.count + k)]\n"
            roots.undefinitions += "#undef \(slot)\n"
        }
        roots.declarations = text + macros
        return roots
    }
}

extension ModuleLowering {
    /// The instance's fields for GC: each type's process-wide descriptor.
    var gcInstanceFields: String {
        guard module.hasGCTypes else { return "" }
        return "    const wk_gc_type *gc_types[\(module.types.count)]; /* interned descriptors, by type index */\n"
            + "    const void *gc_thread; /* wk_gc_thread() of the thread whose heap holds the roots */\n"
    }

    /// Each struct and array type's descriptor as the module declares it, interned at
    /// instantiation (`wk_gc_type_intern`); and the function that marks the GC references
    /// the instance holds (its globals, tables and element segments of GC's internal types).
    func gcDefinitions() -> String {
        guard module.hasGCTypes else { return "" }
        var text = ""
        for (index, definition) in module.typeDefinitions.enumerated() {
            switch definition.composite {
            case .function: continue
            case .structure(let fields):
                let (offsets, size) = GCLayout.fields(fields)
                let references = zip(fields, offsets).compactMap { field, offset in
                    GCLayout.marking(field.storage).map { "\(offset)u\($0 == .extern ? " + WK_GC_EXTERN_FIELD" : "")" }
                }
                if !references.isEmpty {
                    text += "static const uint32_t \(prefix)__gc_refs_\(index)[] = {\(references.joined(separator: ", "))};\n"
                }
                let list = references.isEmpty ? "NULL" : "\(prefix)__gc_refs_\(index)"
                text += "static const wk_gc_type \(prefix)__gc_type_\(index) = {WK_GC_STRUCT, false, \(size)u, \(references.count)u, \(list), 0, NULL};\n"
            case .array(let element):
                let references = switch GCLayout.marking(element.storage) {
                case .gc?: "WK_GC_REFS"
                case .extern?: "WK_GC_EXTERN_REFS"
                case nil: "0"
                }
                text += "static const wk_gc_type \(prefix)__gc_type_\(index) = {WK_GC_ARRAY, \(references), \(element.storage.size)u, 0, NULL, 0, NULL};\n"
            }
        }
        text += "\nstatic void \(prefix)__gc_scan(void *context) {\n"
        text += "    WK_UNUSED \(names.instanceType) *inst = context;\n"
        // GC references of its own; externrefs, which may be objects, imported ones too.
        func mark(_ type: ValueType, imported: Bool) -> String? {
            switch GCLayout.marking(.value(type)) {
            case .gc? where !imported: "wk_gc_mark"
            case .extern?: "wk_gc_mark_extern"
            default: nil
            }
        }
        for (k, global) in module.globals.enumerated() {
            let imported = k < module.importedGlobalCount
            guard let marker = mark(global.valueType, imported: imported) else { continue }
            text += imported ? "    if (inst->globals[\(k)]) \(marker)(inst->globals[\(k)]->value.ref);\n"
                : "    \(marker)(inst->global_storage[\(k - module.importedGlobalCount)].value.ref);\n"
        }
        let importedTables = module.tables.count - module.definedTables.count
        for (k, table) in module.tables.enumerated() {
            guard let marker = mark(table.elementType, imported: k < importedTables) else { continue }
            let object = "inst->tables[\(k)]"
            text += "    if (\(object)) for (uint32_t k = 0; k < \(object)->size; k++) \(marker)(\(object)->elements[k]);\n"
        }
        for (index, segment) in module.elements.enumerated() {
            guard let marker = mark(segment.type, imported: false) else { continue }
            text += "    if (inst->element_items[\(index)]) for (uint32_t k = 0; k < inst->element_length[\(index)]; k++) \(marker)(inst->element_items[\(index)][k]);\n"
        }
        return text + "}\n\n"
    }

    /// Instantiation's GC steps: the types' descriptors, in index order so that a
    /// supertype is interned before its subtypes, and the instance as a root source.
    func gcInstantiation() -> String {
        guard module.hasGCTypes else { return "" }
        var text = ""
        for (index, definition) in module.typeDefinitions.enumerated() where definition.composite.kind != .funcref {
            let supertype = definition.supertype.map { "inst->gc_types[\($0)]" } ?? "NULL"
            text += "    inst->gc_types[\(index)] = wk_gc_type_intern(\(prefix)__signatures[\(index)], &\(prefix)__gc_type_\(index), \(supertype));\n"
        }
        return text
    }

    /// Whether a constant expression allocates (struct.new, array.new…): instantiation
    /// then defers collection while it evaluates them (`wk_gc_defer`).
    var allocatingConstants: Bool {
        module.valueExpressions.contains { expression in
            expression.instructions.contains { if case .gc(let id, _) = $0 { InstructionSet.all[id].rule != .refI31 } else { false } }
        }
    }

    /// A GC instruction of a constant expression as a C expression, its operands taken
    /// from `stack`. Allocations are GNU statement expressions; instantiation defers
    /// collection around them, so objects made for operands need no frame.
    func gcConstant(_ rule: Rule, _ immediates: [UInt32], stack: inout [String]) -> String {
        func pop(_ count: Int) -> [String] {
            let operands = Array(stack.suffix(count))
            stack.removeLast(count)
            return operands
        }
        let index = immediates.first.map(Int.init) ?? 0
        let type = "inst->gc_types[\(index)]"
        switch rule {
        case .refI31:
            return "wk_i31_new(\(pop(1)[0]))"
        case .structNew, .structNewDefault:
            guard case .structure(let fields) = module.typeDefinitions[index].composite else { return "NULL" }
            if rule == .structNewDefault { return "wk_gc_struct_new(\(type))" }
            let offsets = GCLayout.fields(fields).offsets
            let stores = zip(zip(fields, offsets), pop(fields.count)).map { pair, value in
                FunctionLowering.store(pair.0.storage, at: "p_ + \(pair.1)", value)
            }
            return "({ void *o_ = wk_gc_struct_new(\(type)); WK_UNUSED uint8_t *p_ = wk_gc_fields(o_); \(stores.joined(separator: " ")) o_; })"
        case .arrayNew, .arrayNewDefault, .arrayNewFixed:
            guard case .array(let element) = module.typeDefinitions[index].composite else { return "NULL" }
            let size = element.storage.size
            if rule == .arrayNewDefault { return "(void *)wk_gc_array_new(\(type), \(pop(1)[0]))" }
            if rule == .arrayNewFixed {
                let values = pop(Int(immediates[1]))
                let stores = values.enumerated().map { FunctionLowering.store(element.storage, at: "a_->elements + \($0.offset * size)", $0.element) }
                return "({ wk_gc_array *a_ = wk_gc_array_new(\(type), \(values.count)u); \(stores.joined(separator: " ")) (void *)a_; })"
            }
            let operands = pop(2)  // value, length
            // The value once, before the allocation: it may be an allocation itself.
            let cType = element.storage.unpacked.cType
            return "({ \(cType) v_ = \(operands[0]); wk_gc_array *a_ = wk_gc_array_new(\(type), \(operands[1])); "
                + "for (uint32_t k_ = 0; k_ < a_->length; k_++) \(FunctionLowering.store(element.storage, at: "a_->elements + (size_t)k_ * \(size)", "v_")) (void *)a_; })"
        case .anyConvertExtern:
            return "wk_gc_internalize(\(pop(1)[0]))"
        case .externConvertAny:
            return "wk_gc_externalize(\(pop(1)[0]))"
        default:
            return "NULL"  // validation allows no other GC instruction here
        }
    }

    /// Registers the instance's references as roots, before anything can allocate, on the
    /// calling thread's heap: the thread the instance is then used on.
    var gcRootRegistration: String {
        module.hasGCTypes ? "    inst->gc_thread = wk_gc_thread();\n    wk_gc_add_roots(\(prefix)__gc_scan, inst);\n" : ""
    }

    /// Freed on another thread, an instance stays allocated (leaks): unregistering it would
    /// change the other heap's roots while its thread may be collecting.
    var gcRootRemoval: String {
        guard module.hasGCTypes else { return "" }
        return "    if (inst->gc_thread && inst->gc_thread != wk_gc_thread()) return;\n"
            + "    wk_gc_remove_roots(\(prefix)__gc_scan, inst);\n"
    }
}

extension FunctionLowering {
    /// The struct type `index`'s fields, with their offsets.
    func structFields(_ index: Int) -> [(field: FieldType, offset: Int)] {
        guard case .structure(let fields) = module.typeDefinitions[index].composite else { return [] }
        return Array(zip(fields, GCLayout.fields(fields).offsets))
    }

    func arrayElement(_ index: Int) -> FieldType {
        guard case .array(let element) = module.typeDefinitions[index].composite else {
            return FieldType(storage: .i8, isMutable: false)  // validation holds it an array type
        }
        return element
    }

    /// `(ref $index)`, a new object's type.
    func objectType(_ index: Int) -> ValueType {
        .reference(toType: UInt32(index), kind: module.typeKinds[index], nullable: false)
    }

    /// C that stores `value` in a field or element at `address`.
    static func store(_ storage: StorageType, at address: String, _ value: String) -> String {
        switch storage {
        case .i8: "wk_gc_set_u8(\(address), (uint8_t)(\(value)));"
        case .i16: "wk_gc_set_u16(\(address), (uint16_t)(\(value)));"
        case .value: "wk_gc_set_\(GCLayout.accessor(storage))(\(address), \(value));"
        }
    }

    /// Pops `count` operands: their C expressions, first pushed first.
    mutating func popOperands(_ count: Int) -> [String] {
        let operands = (0..<count).map { top(count - 1 - $0) }
        stack.removeLast(count)
        return operands
    }

    /// GC instructions (those the lowering's switch sends here).
    mutating func gcInstruction(_ rule: Rule, code: UInt32) throws {
        switch rule {
        case .structNew, .structNewDefault:
            let index = Int(try reader.readU32())
            let fields = structFields(index)
            mayCollect = true
            let operands = rule == .structNew ? popOperands(fields.count) : []
            var text = "{ void *o_ = wk_gc_struct_new(inst->gc_types[\(index)]);"
            if !operands.isEmpty { text += " uint8_t *p_ = wk_gc_fields(o_);" }
            for (k, value) in operands.enumerated() {
                text += " " + Self.store(fields[k].field.storage, at: "p_ + \(fields[k].offset)", value)
            }
            emit(text + " \(push(objectType(index))) = o_; }", scopes: 1)
        case .structGet:
            let index = Int(try reader.readU32())
            let (field, offset) = structFields(index)[Int(try reader.readU32())]
            let reference = top()
            stack.removeLast()
            let accessor = GCLayout.accessor(field.storage, signed: code == 3)
            emit("\(push(field.storage.unpacked)) = wk_gc_get_\(accessor)(wk_struct(\(reference)) + \(offset));")
        case .structSet:
            let index = Int(try reader.readU32())
            let (field, offset) = structFields(index)[Int(try reader.readU32())]
            let operands = popOperands(2)
            emit(Self.store(field.storage, at: "wk_struct(\(operands[0])) + \(offset)", operands[1]))
        case .arrayNew, .arrayNewDefault:
            let index = Int(try reader.readU32())
            let element = arrayElement(index)
            mayCollect = true
            if rule == .arrayNewDefault {
                let length = top()
                stack.removeLast()
                emit("\(push(objectType(index))) = wk_gc_array_new(inst->gc_types[\(index)], \(length));")
            } else {
                let operands = popOperands(2)
                let size = element.storage.size
                emit("{ wk_gc_array *a_ = wk_gc_array_new(inst->gc_types[\(index)], \(operands[1])); "
                     + "for (uint32_t k_ = 0; k_ < a_->length; k_++) "
                     + Self.store(element.storage, at: "a_->elements + (size_t)k_ * \(size)", operands[0])
                     + " \(push(objectType(index))) = a_; }", scopes: 2)
            }
        case .arrayNewFixed:
            let index = Int(try reader.readU32())
            let count = Int(try reader.readU32())
            let element = arrayElement(index)
            mayCollect = true
            let operands = popOperands(count)
            var text = "{ wk_gc_array *a_ = wk_gc_array_new(inst->gc_types[\(index)], \(count)u);"
            for (k, value) in operands.enumerated() {
                text += " " + Self.store(element.storage, at: "a_->elements + \(k * element.storage.size)", value)
            }
            emit(text + " \(push(objectType(index))) = a_; }", scopes: 1)
        case .arrayNewData, .arrayNewElem:
            let index = Int(try reader.readU32())
            let segment = Int(try reader.readU32())
            let size = rule == .arrayNewData ? arrayElement(index).storage.size : 8
            mayCollect = true
            let operands = popOperands(2)  // offset, length
            // The segment's range is checked before the allocation, as the spec orders it.
            let source = rule == .arrayNewData
                ? "const uint8_t *s_ = wk_segment_bytes(\(names.prefix)__data + \(module.dataStart(segment))u, inst->data_length[\(segment)], \(operands[0]), \(operands[1]), \(size));"
                : "void *const *s_ = wk_segment_items(inst->element_items[\(segment)], inst->element_length[\(segment)], \(operands[0]), \(operands[1]));"
            emit("{ \(source) wk_gc_array *a_ = wk_gc_array_new(inst->gc_types[\(index)], \(operands[1])); "
                 + "if (a_->length) memcpy(a_->elements, s_, (size_t)a_->length * \(size)); \(push(objectType(index))) = a_; }", scopes: 2)
        case .arrayInitData, .arrayInitElem:
            let index = Int(try reader.readU32())
            let segment = Int(try reader.readU32())
            let size = rule == .arrayInitData ? arrayElement(index).storage.size : 8
            let operands = popOperands(4)  // array, its offset, the segment's offset, length
            let source = rule == .arrayInitData
                ? "const uint8_t *s_ = wk_segment_bytes(\(names.prefix)__data + \(module.dataStart(segment))u, inst->data_length[\(segment)], \(operands[2]), \(operands[3]), \(size));"
                : "void *const *s_ = wk_segment_items(inst->element_items[\(segment)], inst->element_length[\(segment)], \(operands[2]), \(operands[3]));"
            emit("{ uint8_t *d_ = wk_array_range(\(operands[0]), \(operands[1]), \(operands[3]), \(size)); \(source) "
                 + "if (\(operands[3])) memcpy(d_, s_, (size_t)\(operands[3]) * \(size)); }", scopes: 2)
        case .arrayGet:
            let element = arrayElement(Int(try reader.readU32()))
            let operands = popOperands(2)
            let accessor = GCLayout.accessor(element.storage, signed: code == 12)
            emit("\(push(element.storage.unpacked)) = wk_gc_get_\(accessor)(wk_array_element(\(operands[0]), \(operands[1]), \(element.storage.size)));")
        case .arraySet:
            let element = arrayElement(Int(try reader.readU32()))
            let operands = popOperands(3)
            emit(Self.store(element.storage, at: "wk_array_element(\(operands[0]), \(operands[1]), \(element.storage.size))", operands[2]))
        case .arrayLen:
            let reference = top()
            stack.removeLast()
            emit("\(push(.i32)) = wk_array(\(reference))->length;")
        case .arrayFill:
            let element = arrayElement(Int(try reader.readU32()))
            let size = element.storage.size
            let operands = popOperands(4)  // array, offset, value, length
            emit("{ uint8_t *p_ = wk_array_range(\(operands[0]), \(operands[1]), \(operands[3]), \(size)); "
                 + "for (uint32_t k_ = 0; k_ < \(operands[3]); k_++) "
                 + Self.store(element.storage, at: "p_ + (size_t)k_ * \(size)", operands[2]) + " }", scopes: 2)
        case .arrayCopy:
            let element = arrayElement(Int(try reader.readU32()))
            _ = try reader.readU32()
            let size = element.storage.size
            let operands = popOperands(5)  // destination, its offset, source, its offset, length
            // Both nulls are checked before either range.
            emit("{ (void)wk_array(\(operands[0])); (void)wk_array(\(operands[2])); "
                 + "uint8_t *d_ = wk_array_range(\(operands[0]), \(operands[1]), \(operands[4]), \(size)); "
                 + "uint8_t *s_ = wk_array_range(\(operands[2]), \(operands[3]), \(operands[4]), \(size)); "
                 + "memmove(d_, s_, (size_t)\(operands[4]) * \(size)); }", scopes: 1)
        case .refI31:
            let value = top()
            stack.removeLast()
            emit("\(push(.reference(to: .i31ref, nullable: false))) = wk_i31_new(\(value));")
        case .i31Get:
            let reference = top()
            stack.removeLast()
            emit("\(push(.i32)) = \(code == 29 ? "wk_i31_get_s" : "wk_i31_get_u")(\(reference));")
        case .refEq:
            let operands = popOperands(2)
            emit("\(push(.i32)) = \(operands[0]) == \(operands[1]);")
        case .refTest, .refCast:
            let target = try reader.readHeapType(typeKinds: module.typeKinds, nullable: code == 21 || code == 23)
            let reference = top()
            stack.removeLast()
            let test = castTest(reference, target)
            emit(rule == .refTest ? "\(push(.i32)) = \(test);" : "\(push(target)) = wk_cast(\(reference), \(test));")
        case .brOnCast, .brOnCastFail:
            let flags = try reader.readByte()
            let depth = Int(try reader.readU32())
            let source = try reader.readHeapType(typeKinds: module.typeKinds, nullable: flags & 1 != 0)
            let target = try reader.readHeapType(typeKinds: module.typeKinds, nullable: flags & 2 != 0)
            let reference = top()
            materialize()
            let test = castTest(reference, target)
            emitConditionalBranch(rule == .brOnCast ? test : "!\(test)", to: depth)
            // Not taken: the operand's type narrows (its slot, of the same kind, stays).
            let failed = source.isNullable && !target.isNullable ? source : source.asNonNullable
            stack[stack.count - 1] = rule == .brOnCast ? failed : target
        default:
            throw LoweringError(kind: .internalError, description: "\(functionLabel): \(rule) is not a GC instruction lowered here")
        }
    }

    /// The C condition that `reference` (an expression without side effects) is of `target`.
    func castTest(_ reference: String, _ target: ValueType) -> String {
        let nonNull: String
        if let index = target.typeIndex {
            nonNull = target.kind == .funcref ? "wk_func_is_type(\(reference), inst->type_ids[\(index)])"
                : "wk_gc_is_type(\(reference), inst->gc_types[\(index)])"
        } else {
            switch target.kind {
            case .i31ref: nonNull = "wk_gc_is_i31(\(reference))"
            case .structref: nonNull = "wk_gc_is_kind(\(reference), WK_GC_STRUCT)"
            case .arrayref: nonNull = "wk_gc_is_kind(\(reference), WK_GC_ARRAY)"
            // The bottom types hold only null.
            case .nullref, .nullfuncref, .nullexternref, .nullexnref: nonNull = "0"
            // eq: not a boxed host value (any.convert_extern).
            case .eqref: nonNull = "wk_gc_is_eq(\(reference))"
            // any: every reference of the hierarchy.
            default: nonNull = "1"
            }
        }
        return target.isNullable ? "(\(reference) == NULL || \(nonNull))" : "(\(reference) != NULL && \(nonNull))"
    }
}
