/// Decodes the binary format into a `Module` in one pass over the bytes.
/// Function bodies are located but not decoded: the validator reads them.
public enum ModuleDecoder {
    /// `wideLimits`: limits are u64 numbers, as since memory64 (Wasm 3.0); false reads
    /// those of 32-bit memories and tables as u32, as Wasm 2.0 does.
    public static func decode(_ bytes: [UInt8], wideLimits: Bool = true) throws(WasmError) -> Module {
        var module = Module(bytes: bytes)
        let result: Result<Void, WasmError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                return .failure(WasmError(offset: 0, message: "unexpected end"))
            }
            var state = SectionDecoder(reader: ByteReader(base: base, position: 0, end: buffer.count, limit: buffer.count),
                                       wideLimits: wideLimits)
            do throws(WasmError) {
                try state.decode(into: &module)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return module
    }
}

struct SectionDecoder {
    var reader: ByteReader
    /// Read 32-bit limits as u64 (Wasm 3.0) rather than u32 (2.0).
    var wideLimits = true
    let lookup = InstructionLookup()

    /// Order of the known sections; custom sections (id 0) may appear anywhere.
    static func orderRank(_ id: UInt8) -> Int {
        switch id {
        case 1...5: Int(id)
        case 13: 6  // tag
        case 6...9: Int(id) + 1
        case 12: 11  // data count
        case 10: 12
        case 11: 13
        default: -1
        }
    }

    mutating func decode(into module: inout Module) throws(WasmError) {
        guard reader.end >= 4 else { throw reader.error("unexpected end", at: 0) }
        guard try reader.readU32Fixed() == 0x6D73_6100 else { throw reader.error("magic header not detected", at: 0) }
        guard reader.end >= 8 else { throw reader.error("unexpected end", at: 4) }
        guard try reader.readU32Fixed() == 1 else { throw reader.error("unknown binary version", at: 4) }

        var lastRank = 0
        var sawFunctionSection = false
        while !reader.isAtEnd {
            let sectionStart = reader.position
            let id = try reader.readByte()
            let size = Int(try reader.readU32())
            let payloadStart = reader.position
            guard size <= reader.end - payloadStart else {
                throw reader.error("length out of bounds", at: payloadStart)
            }
            let payloadEnd = payloadStart + size
            if id != 0 {
                let rank = Self.orderRank(id)
                guard rank > 0 else { throw reader.error("malformed section id", at: sectionStart) }
                guard rank > lastRank else { throw reader.error("unexpected content after last section", at: sectionStart) }
                lastRank = rank
            }
            let outerEnd = reader.end
            reader.end = payloadEnd
            var info = SectionInfo(id: id, range: payloadStart..<payloadEnd)
            switch id {
            case 0: info.customName = try customSection(&module)
            case 1: try typeSection(&module)
            case 2: try importSection(&module)
            case 3: sawFunctionSection = true; try functionSection(&module)
            case 4: try tableSection(&module)
            case 5: module.definedMemories = try vector { (r: inout Self) throws(WasmError) in try r.memoryType() }
            case 13: module.definedTags = try vector { (r: inout Self) throws(WasmError) in try r.tagType() }
            case 6: try globalSection(&module)
            case 7: try exportSection(&module)
            case 8:
                module.startOffset = reader.position
                module.start = try reader.readU32()
            case 9: try elementSection(&module)
            case 12: module.dataCount = try reader.readU32()
            case 10: try codeSection(&module)
            case 11: try dataSection(&module)
            default: break
            }
            guard reader.position == payloadEnd else { throw reader.error("section size mismatch") }
            reader.end = outerEnd
            module.sections.append(info)
        }
        if module.codes.count != module.definedFunctionTypes.count {
            throw reader.error("function and code section have inconsistent lengths")
        }
        _ = sawFunctionSection
        if let dataCount = module.dataCount, !module.sections.contains(where: { $0.id == 11 }), dataCount != 0 {
            throw reader.error("data count and data section have inconsistent lengths")
        }
        finishIndexSpaces(&module)
    }

    mutating func vector<T>(_ element: (inout Self) throws(WasmError) -> T) throws(WasmError) -> [T] {
        let count = try reader.readCount()
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    // MARK: Types

    /// Each type's kind (funcref, structref, arrayref) for the value types that refer to
    /// it: the module's types, or while reading the type section, those up to the end of
    /// the recursive group being read (whose own kinds are fixed once it is read).
    var typeKinds: [ValueKind] = []

    mutating func valueType() throws(WasmError) -> ValueType {
        try reader.readValueType(typeKinds: typeKinds)
    }

    mutating func referenceType() throws(WasmError) -> ValueType {
        try reader.readReferenceType(typeKinds: typeKinds)
    }

    /// A table's limits.
    mutating func limits() throws(WasmError) -> Limits {
        // Flag bits: 0 a maximum, 2 64-bit indices (table64).
        let flags = try limitsFlags(allowed: 0x05)
        let min = try limit(address64: flags & 4 != 0)
        return Limits(min: min, max: flags & 1 == 1 ? try limit(address64: flags & 4 != 0) : nil, address64: flags & 4 != 0)
    }

    /// A minimum or maximum: a u64, or for 32-bit limits in Wasm 2.0 a u32.
    mutating func limit(address64: Bool) throws(WasmError) -> UInt64 {
        address64 || wideLimits ? try reader.readU64() : UInt64(try reader.readU32())
    }

    /// The flags byte of limits, refused beyond the `allowed` bits.
    mutating func limitsFlags(allowed: UInt8) throws(WasmError) -> UInt8 {
        let start = reader.position
        // The flags are one byte; 0x80 and up would begin a longer LEB128.
        let flags = try reader.readByte()
        guard flags & 0x80 == 0 else { throw reader.error("integer representation too long", at: start) }
        guard flags & ~allowed == 0 else { throw reader.error("integer too large", at: start) }
        return flags
    }

    /// The table section: since function references a table may start with 0x40 0x00 and
    /// give an initializer expression after its type.
    mutating func tableSection(_ module: inout Module) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            if try reader.peekByte() == 0x40 {
                reader.position += 1
                let start = reader.position
                guard try reader.readByte() == 0 else { throw reader.error("malformed table", at: start) }
                module.definedTables.append(try tableType())
                module.definedTableInitializers.append(try constExpr())
            } else {
                module.definedTables.append(try tableType())
                module.definedTableInitializers.append(nil)
            }
        }
    }

    mutating func tableType() throws(WasmError) -> TableType {
        let element = try referenceType()
        return TableType(elementType: element, limits: try limits())
    }

    mutating func memoryType() throws(WasmError) -> MemoryType {
        // Flag bits: 0 a maximum, 1 shared (threads), 2 64-bit addresses (memory64),
        // 3 a page size follows (custom page sizes).
        let flags = try limitsFlags(allowed: 0x0F)
        let min = try limit(address64: flags & 4 != 0)
        let max = flags & 1 == 1 ? try limit(address64: flags & 4 != 0) : nil
        var memory = MemoryType(limits: Limits(min: min, max: max, address64: flags & 4 != 0), shared: flags & 2 != 0)
        if flags & 8 != 0 {
            let start = reader.position
            memory.pageSizeLog2 = try reader.readU32()
            // Past 2^64 is no page size at all; other odd sizes fail validation.
            guard memory.pageSizeLog2 <= 64 else { throw reader.error("invalid custom page size", at: start) }
        }
        return memory
    }

    mutating func globalType() throws(WasmError) -> GlobalType {
        let type = try valueType()
        let start = reader.position
        let mutability = try reader.readByte()
        guard mutability <= 1 else { throw reader.error("malformed mutability", at: start) }
        return GlobalType(valueType: type, isMutable: mutability == 1)
    }

    mutating func tagType() throws(WasmError) -> UInt32 {
        let start = reader.position
        guard try reader.readByte() == 0 else { throw reader.error("malformed tag attribute", at: start) }
        return try reader.readU32()
    }

    // MARK: Sections

    /// The type section: recursive groups (GC) of subtypes, each a function, struct or
    /// array type; a type outside `rec` is a group of its own.
    mutating func typeSection(_ module: inout Module) throws(WasmError) {
        let groupCount = try reader.readCount()
        for _ in 0..<groupCount {
            var size = 1
            if try reader.peekByte() == 0x4E {
                reader.position += 1
                size = try reader.readCount()
            }
            let group = module.typeDefinitions.count..<(module.typeDefinitions.count + size)
            guard group.upperBound <= Self.maxTypes else { throw reader.error("too many types") }
            // The group's types may refer to each other: their kinds are known once read.
            typeKinds.append(contentsOf: repeatElement(.funcref, count: size))
            var definitions: [TypeDefinition] = []
            for _ in 0..<size { definitions.append(try subtype(group: group)) }
            for (index, definition) in zip(group, definitions) { typeKinds[index] = definition.composite.kind }
            for definition in definitions {
                var fixed = definition
                fixed.composite = Self.withKinds(definition.composite, typeKinds)
                module.typeDefinitions.append(fixed)
                if case .function(let type) = fixed.composite {
                    module.types.append(type)
                } else {
                    module.types.append(FuncType(params: [], results: []))
                }
            }
        }
        module.typeKinds = typeKinds
    }

    /// Implementation limit on types, as in the major engines.
    static let maxTypes = 1_000_000

    /// One subtype: `sub`, `sub final` or a bare composite type (final).
    mutating func subtype(group: Range<Int>) throws(WasmError) -> TypeDefinition {
        let byte = try reader.peekByte()
        guard byte == 0x50 || byte == 0x4F else { return TypeDefinition(composite: try compositeType(), group: group) }
        reader.position += 1
        let countStart = reader.position
        let supertypes = try vector { (r: inout Self) throws(WasmError) in try r.reader.readU32() }
        guard supertypes.count <= 1 else { throw reader.error("multiple supertypes", at: countStart) }
        return TypeDefinition(composite: try compositeType(), isFinal: byte == 0x4F, supertype: supertypes.first, group: group)
    }

    mutating func compositeType() throws(WasmError) -> CompositeType {
        let start = reader.position
        switch try reader.readByte() {
        case 0x60:
            let paramsStart = reader.position
            let params = try vector { (r: inout Self) throws(WasmError) in try r.valueType() }
            guard params.count <= Self.maxArity else { throw reader.error("too many parameters", at: paramsStart) }
            let resultsStart = reader.position
            let results = try vector { (r: inout Self) throws(WasmError) in try r.valueType() }
            guard results.count <= Self.maxArity else { throw reader.error("too many results", at: resultsStart) }
            return .function(FuncType(params: params, results: results))
        case 0x5F:
            let countStart = reader.position
            let fields = try vector { (r: inout Self) throws(WasmError) in try r.fieldType() }
            guard fields.count <= Self.maxFields else { throw reader.error("too many fields", at: countStart) }
            return .structure(fields)
        case 0x5E:
            return .array(try fieldType())
        default:
            throw reader.error("malformed function type", at: start)
        }
    }

    /// Implementation limit on a struct's fields, the JS API's.
    static let maxFields = 10_000

    mutating func fieldType() throws(WasmError) -> FieldType {
        let storage: StorageType
        switch try reader.peekByte() {
        case 0x78: reader.position += 1; storage = .i8
        case 0x77: reader.position += 1; storage = .i16
        default: storage = .value(try valueType())
        }
        let start = reader.position
        let mutability = try reader.readByte()
        guard mutability <= 1 else { throw reader.error("malformed mutability", at: start) }
        return FieldType(storage: storage, isMutable: mutability == 1)
    }

    /// A composite type with each reference to a type given that type's kind (references
    /// within a group were read before the group's kinds were known).
    static func withKinds(_ composite: CompositeType, _ kinds: [ValueKind]) -> CompositeType {
        func fix(_ type: ValueType) -> ValueType {
            guard let index = type.typeIndex else { return type }
            return .reference(toType: index, kind: kinds[Int(index)], nullable: type.isNullable)
        }
        func fix(_ field: FieldType) -> FieldType {
            guard case .value(let type) = field.storage else { return field }
            return FieldType(storage: .value(fix(type)), isMutable: field.isMutable)
        }
        switch composite {
        case .function(let type): return .function(FuncType(params: type.params.map(fix), results: type.results.map(fix)))
        case .structure(let fields): return .structure(fields.map(fix))
        case .array(let field): return .array(fix(field))
        }
    }

    mutating func importSection(_ module: inout Module) throws(WasmError) {
        module.imports = try vector { (r: inout Self) throws(WasmError) in
            let start = r.reader.position
            let moduleName = try r.reader.readName()
            let name = try r.reader.readName()
            let kindOffset = r.reader.position
            let kind: ImportKind
            switch try r.reader.readByte() {
            case 0: kind = .function(typeIndex: try r.reader.readU32())
            case 1: kind = .table(try r.tableType())
            case 2: kind = .memory(try r.memoryType())
            case 3: kind = .global(try r.globalType())
            case 4: kind = .tag(typeIndex: try r.tagType())
            default: throw r.reader.error("malformed import kind", at: kindOffset)
            }
            return Import(module: moduleName, name: name, kind: kind, offset: start)
        }
    }

    mutating func functionSection(_ module: inout Module) throws(WasmError) {
        module.definedFunctionTypes = try vector { (r: inout Self) throws(WasmError) in try r.reader.readU32() }
    }

    mutating func globalSection(_ module: inout Module) throws(WasmError) {
        module.definedGlobals = try vector { (r: inout Self) throws(WasmError) in
            let type = try r.globalType()
            return Global(type: type, initializer: try r.constExpr())
        }
    }

    mutating func exportSection(_ module: inout Module) throws(WasmError) {
        module.exports = try vector { (r: inout Self) throws(WasmError) in
            let start = r.reader.position
            let name = try r.reader.readName()
            let kindOffset = r.reader.position
            guard let kind = ExternalKind(rawValue: try r.reader.readByte()) else {
                throw r.reader.error("malformed export kind", at: kindOffset)
            }
            return Export(name: name, kind: kind, index: try r.reader.readU32(), offset: start)
        }
    }

    mutating func elementSection(_ module: inout Module) throws(WasmError) {
        module.elements = try vector { (r: inout Self) throws(WasmError) in try r.elementSegment() }
    }

    mutating func elementSegment() throws(WasmError) -> ElementSegment {
        let start = reader.position
        let flags = try reader.readU32()
        guard flags <= 7 else { throw reader.error("malformed elements segment kind", at: start) }
        let usesExpressions = flags & 4 != 0
        let mode: ElementMode
        if flags & 1 == 0 {
            let table = flags & 2 != 0 ? try reader.readU32() : 0
            mode = .active(table: table, offset: try constExpr())
        } else {
            mode = flags & 2 != 0 ? .declarative : .passive
        }
        // Forms 0 and 4 have an implicit type: function indices are `(ref func)`, expressions
        // funcref. The others state it.
        var type = usesExpressions ? ValueType.funcref : .reference(to: .funcref, nullable: false)
        if flags & 3 != 0 {
            if usesExpressions {
                type = try referenceType()
            } else {
                let kindOffset = reader.position
                guard try reader.readByte() == 0 else { throw reader.error("malformed element kind", at: kindOffset) }
            }
        }
        let items: ElementItems
        if usesExpressions {
            items = .expressions(try vector { (r: inout Self) throws(WasmError) in try r.constExpr() })
        } else {
            items = .functions(try vector { (r: inout Self) throws(WasmError) in try r.reader.readU32() })
        }
        return ElementSegment(mode: mode, type: type, items: items, offset: start)
    }

    mutating func codeSection(_ module: inout Module) throws(WasmError) {
        let count = try reader.readCount()
        module.codes.reserveCapacity(count)
        for _ in 0..<count {
            let entryStart = reader.position
            let size = Int(try reader.readU32())
            guard size <= reader.end - reader.position else { throw reader.error("unexpected end of section or function", at: entryStart) }
            let entryEnd = reader.position + size
            let sectionEnd = reader.end
            reader.end = entryEnd
            let runCount = try reader.readCount(minimumElementSize: 2)
            var locals: [LocalRun] = []
            locals.reserveCapacity(runCount)
            var total: UInt64 = 0
            for _ in 0..<runCount {
                let countStart = reader.position
                let n = try reader.readU32()
                total += UInt64(n)
                guard total <= Self.maxLocals else { throw reader.error("too many locals", at: countStart) }
                locals.append(LocalRun(count: n, type: try valueType()))
            }
            module.codes.append(FunctionBody(locals: locals, localCount: UInt32(total), code: reader.position..<entryEnd, offset: entryStart))
            reader.position = entryEnd
            reader.end = sectionEnd
        }
    }

    /// Implementation limit on locals per function, as in the major engines.
    static let maxLocals: UInt64 = 50_000
    /// Implementation limit on a function or block type's parameters and on its results,
    /// the JS API's. Every branch, call and return copies that many values, so without a
    /// bound the C would grow with the square of the module's size.
    static let maxArity = 1_000

    mutating func dataSection(_ module: inout Module) throws(WasmError) {
        let countOffset = reader.position
        let count = try reader.readCount()
        if let dataCount = module.dataCount, dataCount != count {
            throw reader.error("data count and data section have inconsistent lengths", at: countOffset)
        }
        module.data.reserveCapacity(count)
        for _ in 0..<count {
            let start = reader.position
            let flags = try reader.readU32()
            let mode: DataMode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try constExpr())
            case 1: mode = .passive
            case 2:
                let memory = try reader.readU32()
                mode = .active(memory: memory, offset: try constExpr())
            default: throw reader.error("malformed data segment kind", at: start)
            }
            let lengthOffset = reader.position
            let length = Int(try reader.readU32())
            guard length <= reader.end - reader.position else {
                throw reader.error("unexpected end of section or function", at: lengthOffset)
            }
            module.data.append(DataSegment(mode: mode, range: reader.position..<(reader.position + length), offset: start))
            reader.position += length
        }
    }

    mutating func customSection(_ module: inout Module) throws(WasmError) -> String {
        let start = reader.position
        let name = try reader.readName()
        let payload = reader.position..<reader.end
        module.customSections.append(CustomSection(name: name, range: payload, offset: start))
        if name == "name" {
            module.nameSection = LazyNameSection(bytes: module.bytes, range: payload)
        }
        reader.position = reader.end
        return name
    }

    // MARK: Constant expressions

    mutating func constExpr() throws(WasmError) -> ConstExpr {
        var instructions: [ConstInstruction] = []
        var offsets: [Int] = []
        while true {
            let start = reader.position
            let instruction: ConstInstruction
            let id = try reader.readInstruction(in: lookup)
            switch InstructionSet.all[id].rule {
            case .end: return ConstExpr(instructions: instructions, offsets: offsets + [start])
            case .constant:
                switch InstructionSet.all[id].immediates {
                case .i32: instruction = .i32Const(try reader.readS32())
                case .i64: instruction = .i64Const(try reader.readS64())
                case .f32: instruction = .f32Const(bits: try reader.readU32Fixed())
                case .f64: instruction = .f64Const(bits: try reader.readU64Fixed())
                default:
                    let low = try reader.readU64Fixed()
                    instruction = .v128Const(low: low, high: try reader.readU64Fixed())
                }
            case .globalGet: instruction = .globalGet(try reader.readU32())
            case .refFunc: instruction = .refFunc(try reader.readU32())
            case .refNull: instruction = .refNull(try reader.readHeapType(typeKinds: typeKinds, nullable: true))
            case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .refI31, .anyConvertExtern, .externConvertAny:
                instruction = .gc(id, InstructionSet.all[id].immediates == .index ? [try reader.readU32()] : [])
            case .arrayNewFixed:
                let type = try reader.readU32()
                instruction = .gc(id, [type, try reader.readU32()])
            default:
                guard InstructionSet.extendedConstants.contains(id) else {
                    throw reader.error("constant expression required", at: start)
                }
                instruction = .numeric(id)
            }
            instructions.append(instruction)
            offsets.append(start)
        }
    }

    func finishIndexSpaces(_ module: inout Module) {
        module.typeCanon = TypeCanon(definitions: module.typeDefinitions)
        for entry in module.imports {
            switch entry.kind {
            case .function(let type): module.functionTypes.append(type)
            case .table(let type): module.tables.append(type)
            case .memory(let type): module.memories.append(type)
            case .global(let type): module.globals.append(type)
            case .tag(let type): module.tags.append(type)
            }
        }
        module.functionTypes += module.definedFunctionTypes
        module.tables += module.definedTables
        module.memories += module.definedMemories
        module.globals += module.definedGlobals.map(\.type)
        module.tags += module.definedTags
    }
}

/// Reads the `name` custom section: module, function, local and memory names.
struct NameSectionDecoder {
    var reader: ByteReader

    mutating func decode() throws(WasmError) -> NameSection {
        var names = NameSection()
        while !reader.isAtEnd {
            let id = try reader.readByte()
            let size = Int(try reader.readU32())
            guard size <= reader.end - reader.position else { throw reader.unexpectedEnd() }
            let end = reader.position + size
            switch id {
            case 0: names.moduleName = try reader.readName()
            case 1: names.functionNames = try nameMap()
            case 2:
                let count = try reader.readCount()
                for _ in 0..<count {
                    let function = try reader.readU32()
                    names.localNames[function] = try nameMap()
                }
            case 4: names.typeNames = try nameMap()
            case 6: names.memoryNames = try nameMap()
            case 10:
                let count = try reader.readCount()
                for _ in 0..<count {
                    let type = try reader.readU32()
                    names.fieldNames[type] = try nameMap()
                }
            default: break
            }
            reader.position = end
        }
        return names
    }

    mutating func nameMap() throws(WasmError) -> [UInt32: String] {
        let count = try reader.readCount(minimumElementSize: 2)
        var map: [UInt32: String] = [:]
        map.reserveCapacity(count)
        for _ in 0..<count {
            let index = try reader.readU32()
            map[index] = try reader.readName()
        }
        return map
    }
}
