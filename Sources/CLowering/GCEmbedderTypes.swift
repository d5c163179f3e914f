import WasmDecoder

/// The typed header's view of GC objects. Each struct and array type the exports can
/// hand out (named in an exported function's signature or global, reached through their
/// fields, or a subtype of one of those) gets an opaque C type, `<prefix>_NAME`, and
/// accessors that read and write its fields or elements: `NAME_get_FIELD`/`NAME_set_FIELD`
/// (setters for mutable fields only), or `NAME_length`, `NAME_get`, `NAME_set`. NAME is the
/// type's name in the name section, else `typeN`; FIELD the field's, else `fieldK`.
/// Exported functions take and return these types' pointers.
struct GCEmbedderTypes {
    /// The C type name of each exposed type index.
    private(set) var names: [Int: String] = [:]
    /// The accessor suffix of each exposed struct type's fields, in field order.
    private(set) var fieldNames: [Int: [String]] = [:]

    init() {}

    /// Chooses the names, claiming every identifier in `taken` (see EmbedderNames).
    init(module: Module, prefix: String, taken: inout Set<String>) {
        for index in Self.exposed(module) {
            let base = EmbedderNames.word(module.names.typeNames[UInt32(index)] ?? "type\(index)", fallback: "type\(index)")
            var fields: [String] = []
            if case .structure(let list) = module.typeDefinitions[index].composite {
                var used = Set<String>()
                for k in list.indices {
                    let name = module.names.fieldNames[UInt32(index)]?[UInt32(k)]
                    let word = EmbedderNames.word(name ?? "field\(k)", fallback: "field\(k)")
                    fields.append(used.insert(word).inserted ? word : "field\(k)")
                }
            }
            let unique = EmbedderNames.unique(base) { candidate in
                let identifiers = Self.identifiers("\(prefix)_\(candidate)", module.typeDefinitions[index].composite, fields: fields)
                guard identifiers.allSatisfy({ !taken.contains($0) }) else { return false }
                taken.formUnion(identifiers)
                return true
            }
            names[index] = "\(prefix)_\(unique)"
            fieldNames[index] = fields
        }
    }

    /// The identifiers a type's declarations take.
    private static func identifiers(_ name: String, _ composite: CompositeType, fields: [String]) -> [String] {
        switch composite {
        case .structure(let list):
            return [name] + zip(list, fields).flatMap { field, word in
                ["\(name)_get_\(word)"] + (field.isMutable ? ["\(name)_set_\(word)"] : [])
            }
        case .array: return [name, "\(name)_length", "\(name)_get", "\(name)_set"]
        case .function: return [name]
        }
    }

    /// The struct and array types the exports reach, by index.
    static func exposed(_ module: Module) -> [Int] {
        var pending: [ValueType] = []
        for export in module.exports {
            switch export.kind {
            case .function:
                if let type = module.functionType(export.index) { pending += type.params + type.results }
            case .global: pending.append(module.globals[Int(export.index)].valueType)
            case .table: pending.append(module.tables[Int(export.index)].elementType)
            default: break
            }
        }
        var found = Set<Int>()
        func visit() {
            while let type = pending.popLast() {
                guard let index = type.typeIndex.map(Int.init), index < module.typeDefinitions.count,
                      module.typeDefinitions[index].composite.kind != .funcref, found.insert(index).inserted else { continue }
                switch module.typeDefinitions[index].composite {
                case .structure(let fields): pending += fields.map(\.storage.unpacked)
                case .array(let element): pending.append(element.storage.unpacked)
                case .function: break
                }
            }
        }
        visit()
        // Subtypes of exposed types: an export declared to return a supertype may hand one out.
        var grew = true
        while grew {
            grew = false
            for (index, definition) in module.typeDefinitions.enumerated() where !found.contains(index) {
                if let supertype = definition.supertype, found.contains(Int(supertype)) {
                    pending.append(ValueType.reference(toType: UInt32(index), kind: module.typeKinds[index], nullable: true))
                    visit()
                    grew = true
                }
            }
        }
        return found.sorted()
    }

    /// A value's C type in the typed API: an exposed type's pointer, else the usual one.
    func cType(_ type: ValueType) -> String {
        if let index = type.typeIndex.map(Int.init), let name = names[index] { return "\(name) *" }
        return type.cType
    }

    /// The storage's C type: packed fields are their bytes.
    private func cType(_ storage: StorageType) -> String {
        switch storage {
        case .i8: "uint8_t"
        case .i16: "uint16_t"
        case .value(let type): cType(type)
        }
    }

    /// "struct: x (mut i32), y (f64)", "array of mut i8".
    private func describe(_ composite: CompositeType, fields words: [String]) -> String {
        func storage(_ field: FieldType) -> String {
            field.isMutable ? "mut \(field.storage)" : field.storage.description
        }
        switch composite {
        case .structure(let fields): return "struct: " + zip(fields, words).map { "\($1) (\(storage($0)))" }.joined(separator: ", ")
        case .array(let element): return "array of \(storage(element))"
        case .function: return "function"
        }
    }

    /// The header's declarations: each type's typedef and inline accessors.
    func declarations(module: Module) -> String {
        guard !names.isEmpty else { return "" }
        var text = """
            /* GC objects the exports hand out. Each thread has a GC heap of its own: use an
             * instance of this module on the thread that created it. A struct or array
             * reference stays valid while the module can reach it, or until the module next
             * allocates (a later call); a host that keeps one longer holds it with
             * wk_gc_handle_new (wasmkiln-gc.h) until wk_gc_handle_release. Getters of a NULL
             * object, or of an index past the end, give zero; setters then do nothing. A
             * reference stored through a setter must be one the module gave out, of the
             * field's type. */


            """
        for (index, name) in names.sorted(by: { $0.key < $1.key }) {
            let composite = module.typeDefinitions[index].composite
            text += "/* type \(index): \(describe(composite, fields: fieldNames[index] ?? [])) */\n"
            text += "typedef struct \(name) \(name);\n"
            switch composite {
            case .structure(let fields):
                for ((field, offset), word) in zip(zip(fields, GCLayout.fields(fields).offsets), fieldNames[index] ?? []) {
                    let type = cType(field.storage), size = field.storage.size
                    text += """
                        static inline \(type) \(name)_get_\(word)(const \(name) *object) {
                            \(type) value;
                            memset(&value, 0, sizeof value);
                            if (object) memcpy(&value, (const uint8_t *)wk_gc_fields((void *)object) + \(offset), \(size));
                            return value;
                        }

                        """
                    if field.isMutable {
                        text += """
                            static inline void \(name)_set_\(word)(\(name) *object, \(type) value) {
                                if (object) memcpy((uint8_t *)wk_gc_fields(object) + \(offset), &value, \(size));
                            }

                            """
                    }
                }
            case .array(let element):
                let type = cType(element.storage), size = element.storage.size
                text += """
                    static inline uint32_t \(name)_length(const \(name) *array) {
                        return array ? ((const wk_gc_array *)(const void *)array)->length : 0;
                    }
                    static inline \(type) \(name)_get(const \(name) *array, uint32_t index) {
                        \(type) value;
                        memset(&value, 0, sizeof value);
                        if (index < \(name)_length(array))
                            memcpy(&value, ((const wk_gc_array *)(const void *)array)->elements + (size_t)index * \(size), \(size));
                        return value;
                    }

                    """
                if element.isMutable {
                    text += """
                        static inline void \(name)_set(\(name) *array, uint32_t index, \(type) value) {
                            if (index < \(name)_length(array))
                                memcpy(((wk_gc_array *)(void *)array)->elements + (size_t)index * \(size), &value, \(size));
                        }

                        """
                }
            case .function:
                break
            }
            text += "\n"
        }
        return text
    }
}
