import WasmDecoder

/// The module-level rules: index spaces, limits, constant expressions,
/// exports, the start function and segments. Collects every error it finds.
struct ModuleChecker {
    let context: ValidationContext
    var module: Module { context.module }
    var errors: [WasmError] = []

    init(context: ValidationContext) {
        self.context = context
    }

    mutating func check() -> [WasmError] {
        if !context.edition.recursiveTypes { checkTypesReferBackward() }
        checkSupertypes()
        for entry in module.imports {
            switch entry.kind {
            case .function(let type): checkType(type, at: entry.offset)
            case .table(let table): checkTable(table, at: entry.offset)
            case .memory(let memory): checkMemory(memory, at: entry.offset)
            case .global: break
            case .tag(let type): checkTag(type, at: entry.offset)
            }
        }
        let functionSection = sectionOffset(3)
        for type in module.definedFunctionTypes { checkType(type, at: functionSection) }
        let tableSection = sectionOffset(4)
        for (table, initializer) in zip(module.definedTables, module.definedTableInitializers) {
            checkTable(table, at: tableSection)
            if let initializer {
                // The table section comes before the global section: only imports are visible.
                checkConstant(initializer, type: table.elementType.bits, visibleGlobals: module.importedGlobalCount)
            } else if !table.elementType.isNullable {
                fail("type mismatch: a table of \(table.elementType) needs an initializer", at: tableSection)
            }
        }
        let memorySection = sectionOffset(5)
        for memory in module.definedMemories { checkMemory(memory, at: memorySection) }
        if module.memories.count > 1, !context.edition.multipleMemories { fail("multiple memories", at: memorySection) }
        let tagSection = sectionOffset(13)
        for tag in module.definedTags { checkTag(tag, at: tagSection) }

        for (k, global) in module.definedGlobals.enumerated() {
            // Since Wasm 3.0 an initializer may read the globals defined before it.
            let visible = context.edition.definedGlobalsInConstants ? module.importedGlobalCount + k : module.importedGlobalCount
            checkConstant(global.initializer, type: global.type.valueType.bits, visibleGlobals: visible)
        }
        checkExports()
        if let start = module.start {
            if let type = module.functionType(start) {
                if !type.params.isEmpty || !type.results.isEmpty { fail("start function must have type [] -> []", at: module.startOffset) }
            } else {
                fail("unknown function \(start)", at: module.startOffset)
            }
        }
        for segment in module.elements { checkElement(segment) }
        for segment in module.data {
            if case .active(let memory, let offset) = segment.mode {
                guard Int(memory) < module.memories.count else { fail("unknown memory \(memory)", at: segment.offset); continue }
                checkConstant(offset, type: module.memories[Int(memory)].limits.addressType.bits, visibleGlobals: segmentGlobals)
            }
        }
        return errors
    }

    /// Before the GC proposal's recursive types, a type may refer only to types before it.
    mutating func checkTypesReferBackward() {
        for (index, definition) in module.typeDefinitions.enumerated() {
            for value in definition.valueTypes {
                if let target = value.typeIndex, target >= index { fail("unknown type \(target)", at: sectionOffset(1)) }
            }
        }
    }

    /// A declared supertype comes before its subtype, is not final, and has a composite
    /// type its subtype's matches (GC).
    mutating func checkSupertypes() {
        for (index, definition) in module.typeDefinitions.enumerated() {
            guard let supertype = definition.supertype else { continue }
            guard supertype < index else { fail("unknown type \(supertype)", at: sectionOffset(1)); continue }
            let parent = module.typeDefinitions[Int(supertype)]
            if parent.isFinal || !matches(definition.composite, parent.composite) {
                fail("sub type \(index) does not match super type \(supertype)", at: sectionOffset(1))
            }
        }
    }

    func isSubtype(_ a: ValueType, of b: ValueType) -> Bool { context.isSubtype(a.bits, of: b.bits) }

    /// Whether a composite type may be declared a subtype of another: parameters
    /// contravariant, results covariant, a struct's fields a prefix, fields alike.
    func matches(_ sub: CompositeType, _ parent: CompositeType) -> Bool {
        switch (sub, parent) {
        case (.function(let a), .function(let b)):
            return a.params.count == b.params.count && a.results.count == b.results.count
                && zip(b.params, a.params).allSatisfy(isSubtype) && zip(a.results, b.results).allSatisfy(isSubtype)
        case (.structure(let a), .structure(let b)):
            return a.count >= b.count && zip(a, b).allSatisfy(fieldMatches)
        case (.array(let a), .array(let b)):
            return fieldMatches(a, b)
        default:
            return false
        }
    }

    /// A field of a subtype against its supertype's: as mutable, and of a subtype when
    /// immutable, of the same type when mutable.
    func fieldMatches(_ sub: FieldType, _ parent: FieldType) -> Bool {
        guard sub.isMutable == parent.isMutable else { return false }
        switch (sub.storage, parent.storage) {
        case (.i8, .i8), (.i16, .i16): return true
        case (.value(let a), .value(let b)): return isSubtype(a, of: b) && (!sub.isMutable || isSubtype(b, of: a))
        default: return false
        }
    }

    /// Where section `id` starts, for errors about its entries.
    func sectionOffset(_ id: UInt8) -> Int {
        module.sections.first(where: { $0.id == id })?.range.lowerBound ?? 0
    }

    mutating func fail(_ message: String, at offset: Int) {
        errors.append(WasmError(offset: offset, message: message))
    }

    /// A function's type: it must exist and be a function type.
    mutating func checkType(_ index: UInt32, at offset: Int) {
        guard Int(index) < module.types.count else { return fail("unknown type \(index)", at: offset) }
        if module.typeKinds[Int(index)] != .funcref { fail("type mismatch: type \(index) is not a function type", at: offset) }
    }

    mutating func checkMinimumBelowMaximum(_ limits: Limits, at offset: Int) {
        if let max = limits.max, limits.min > max { fail("size minimum must not be greater than maximum", at: offset) }
    }

    mutating func checkTable(_ table: TableType, at offset: Int) {
        let limits = table.limits
        if limits.min > table.sizeLimit || (limits.max ?? 0) > table.sizeLimit {
            fail("table size must be at most 2^32-1 elements", at: offset)
        }
        checkMinimumBelowMaximum(limits, at: offset)
    }

    mutating func checkMemory(_ memory: MemoryType, at offset: Int) {
        let limits = memory.limits
        guard memory.pageSizeLog2 == 0 || memory.pageSizeLog2 == 16 else { return fail("invalid custom page size", at: offset) }
        if limits.min > memory.pageLimit || (limits.max ?? 0) > memory.pageLimit {
            fail(memory.address64 ? "memory size must be at most 2^48 pages (2^64 bytes)" : "memory size must be at most 65536 pages (4GiB)", at: offset)
        }
        checkMinimumBelowMaximum(limits, at: offset)
        if memory.shared, limits.max == nil { fail("shared memory must have maximum", at: offset) }
    }

    mutating func checkTag(_ type: UInt32, at offset: Int) {
        guard Int(type) < module.types.count else { return fail("unknown type \(type)", at: offset) }
        guard module.typeKinds[Int(type)] == .funcref else { return fail("type mismatch: type \(type) is not a function type", at: offset) }
        if !module.types[Int(type)].results.isEmpty { fail("non-empty tag result type", at: offset) }
    }

    mutating func checkExports() {
        // Names are compared as bytes: Swift's String equality would merge canonically
        // equivalent spellings, which Wasm keeps distinct.
        var names = Set<[UInt8]>()
        for export in module.exports {
            if !names.insert(Array(export.name.utf8)).inserted { fail("duplicate export name \"\(export.name)\"", at: export.offset) }
            let count: Int
            switch export.kind {
            case .function: count = module.functionTypes.count
            case .table: count = module.tables.count
            case .memory: count = module.memories.count
            case .global: count = module.globals.count
            case .tag: count = module.tags.count
            }
            if Int(export.index) >= count { fail("unknown \(export.kind == .function ? "function" : export.kind.description) \(export.index)", at: export.offset) }
        }
    }

    mutating func checkElement(_ segment: ElementSegment) {
        if case .active(let table, let offset) = segment.mode {
            if Int(table) >= module.tables.count {
                fail("unknown table \(table)", at: segment.offset)
            } else {
                if !context.isSubtype(segment.type.bits, of: module.tables[Int(table)].elementType.bits) {
                    fail("type mismatch: element segment of \(segment.type) for a table of \(module.tables[Int(table)].elementType)", at: segment.offset)
                }
                checkConstant(offset, type: module.tables[Int(table)].limits.addressType.bits, visibleGlobals: segmentGlobals)
            }
        }
        switch segment.items {
        case .functions(let indices):
            for index in indices where Int(index) >= module.functionTypes.count {
                fail("unknown function \(index)", at: segment.offset)
            }
        case .expressions(let expressions):
            for expression in expressions { checkConstant(expression, type: segment.type.bits, visibleGlobals: segmentGlobals) }
        }
    }

    /// The globals a segment's constant expressions may read: Wasm 2.0 only imported ones,
    /// Wasm 3.0 any.
    var segmentGlobals: Int { context.edition.definedGlobalsInConstants ? module.globals.count : module.importedGlobalCount }

    /// A constant expression must produce exactly one value of `type`, reading only
    /// immutable globals below `visibleGlobals`.
    mutating func checkConstant(_ expression: ConstExpr, type: UInt32, visibleGlobals: Int) {
        var stack: [UInt32] = []
        for (instruction, offset) in zip(expression.instructions, expression.offsets) {
            switch instruction {
            case .i32Const: stack.append(i32)
            case .i64Const: stack.append(i64)
            case .f32Const: stack.append(f32)
            case .f64Const: stack.append(f64)
            case .v128Const: stack.append(v128)
            case .refNull(let type): stack.append(type.bits)
            case .refFunc(let index):
                guard Int(index) < module.functionTypes.count else { return fail("unknown function \(index)", at: offset) }
                let typeIndex = module.functionTypes[Int(index)]
                stack.append(Int(typeIndex) < module.types.count ? ValueType.reference(toType: typeIndex, nullable: false).bits : funcref)
            case .globalGet(let index):
                guard Int(index) < visibleGlobals else { return fail("unknown global \(index)", at: offset) }
                guard !module.globals[Int(index)].isMutable else { return fail("constant expression required", at: offset) }
                stack.append(module.globals[Int(index)].valueType.bits)
            case .gc(let id, let immediates):
                do throws(WasmError) {
                    try constantGC(id, immediates, stack: &stack)
                } catch {
                    return fail(error.message, at: offset)
                }
            case .numeric(let id):
                let signature = InstructionSet.all[id].signature!
                let (first, second) = (UInt32(signature.first), UInt32(signature.second))
                guard stack.count >= 2, stack.suffix(2) == [first, second] else {
                    let got = stack.map(typeName).joined(separator: " ")
                    return fail("type mismatch: \(InstructionSet.all[id].name) needs [\(typeName(first)) \(typeName(second))] but the stack has [\(got)]", at: offset)
                }
                stack.removeLast(2)
                stack.append(UInt32(signature.result))
            }
        }
        guard stack.count == 1, context.isSubtype(stack[0], of: type) else {
            let got = stack.map(typeName).joined(separator: " ")
            return fail("type mismatch: constant expression must be [\(typeName(type))] but is [\(got)]", at: expression.offset)
        }
    }
}

extension ModuleChecker {
    /// Types a GC instruction of a constant expression on `stack`, by the rules function
    /// bodies use (`ValidationContext.allocation`, `conversion`).
    func constantGC(_ id: Int, _ immediates: [UInt32], stack: inout [UInt32]) throws(WasmError) {
        let rule = InstructionSet.all[id].rule
        switch rule {
        case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed, .refI31:
            let typing = try context.allocation(rule, type: immediates.first ?? 0, count: immediates.count > 1 ? immediates[1] : 0)
            guard stack.count >= typing.operands.count,
                  zip(stack.suffix(typing.operands.count), typing.operands).allSatisfy({ context.isSubtype($0, of: $1) }) else {
                let needed = typing.operands.map(typeName).joined(separator: " ")
                throw WasmError(offset: 0, message: "type mismatch: \(InstructionSet.all[id].name) needs [\(needed)]")
            }
            stack.removeLast(typing.operands.count)
            stack.append(typing.result)
        case .anyConvertExtern, .externConvertAny:
            guard let operand = stack.popLast() else {
                throw WasmError(offset: 0, message: "type mismatch: \(InstructionSet.all[id].name) needs an operand")
            }
            stack.append(try context.conversion(rule, of: operand))
        default:
            throw WasmError(offset: 0, message: "constant expression required")
        }
    }
}

/// Validates every function body, spread over the processor's cores.
enum FunctionBodies {
    static func validate(context: ValidationContext, parallel: Bool) -> ([FunctionInfo], [WasmError]) {
        let module = context.module
        let count = module.codes.count
        guard count > 0 else { return ([], []) }
        let workers = parallel ? min(max(1, ProcessorCount.value), count) : 1
        let results = UnsafeMutableBufferPointer<FunctionInfo?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialized first: the slots hold arrays, which deallocating alone would leak.
        defer { _ = results.deinitialize(); results.deallocate() }
        let errorsByWorker = UnsafeMutableBufferPointer<[WasmError]>.allocate(capacity: workers)
        errorsByWorker.initialize(repeating: [])
        defer { _ = errorsByWorker.deinitialize(); errorsByWorker.deallocate() }
        module.bytes.withUnsafeBufferPointer { bytes in
            let shared = SharedResults(base: bytes.baseAddress!, functions: results, errors: errorsByWorker)
            let run: @Sendable (Int) -> Void = { worker in
                let validator = FunctionValidator(context: context, base: shared.base)
                // Interleaved chunks keep the workers' loads even when big functions cluster.
                let chunk = 64
                var start = worker * chunk
                while start < count {
                    for index in start..<min(start + chunk, count) {
                        do throws(WasmError) {
                            shared.functions[index] = try validator.validate(definedIndex: index)
                        } catch {
                            var located = error
                            let functionIndex = UInt32(module.importedFunctionCount + index)
                            located.functionIndex = functionIndex
                            located.functionName = module.names.functionNames[functionIndex]
                            shared.errors[worker].append(located)
                        }
                    }
                    start += workers * chunk
                }
            }
            if workers == 1 { run(0) } else { concurrentPerform(iterations: workers, run) }
        }
        let errors = Array(errorsByWorker.joined())
        let functions = results.map { $0 ?? FunctionInfo(maxStackHeight: 0, slotTypes: []) }
        return (functions, errors)
    }
}

/// Per-index result slots that each worker writes without overlap.
struct SharedResults: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let functions: UnsafeMutableBufferPointer<FunctionInfo?>
    let errors: UnsafeMutableBufferPointer<[WasmError]>
}
