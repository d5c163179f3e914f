import WasmDecoder
import WasmValidator

/// The tables whose contents are known when the module is compiled: defined by the
/// module, not exported, changed by no instruction (`table.set`, `.grow`, `.fill`,
/// `.init`, `.copy` into them), and filled only by active segments at constant offsets
/// with the module's own functions (or nulls). After instantiation such a table never
/// changes, so `call_indirect` through it reads a constant array of code pointers and
/// type ids (`wk_table_entry`, `<prefix>__table_N`) instead of the instance's table: a
/// compare of the index with a constant, one of the entry's type id with a constant, and
/// a direct call with the caller's own instance, which the entry's function shares.
struct FixedTables {
    /// The slots of each fixed table, by table index: a defined function's index, or nil.
    let slots: [Int: [Int?]]
    /// The id of each type in the entries: the first type index of an equal type
    /// (`TypeCanon`; equal types are interchangeable in `call_indirect`).
    let typeIDs: [Int]

    /// Tables with more slots than this keep the general path (their array would be big
    /// data for little gain).
    static let largestTable: UInt64 = 1 << 18

    init(_ validated: ValidatedModule) {
        let module = validated.module
        let importedTables = module.tables.count - module.definedTables.count
        var candidates: [Int: [Int?]] = [:]
        // Entries are checked by equal types: a module whose function types have declared
        // supertypes (GC) keeps the general path, which knows subtyping.
        let subtyping = module.typeDefinitions.contains { $0.supertype != nil && $0.composite.kind == .funcref }
        for table in importedTables..<module.tables.count where !subtyping {
            let type = module.tables[table]
            guard type.elementType == .funcref, type.limits.min <= Self.largestTable else { continue }
            // Elements that start as a function (a table's initializer) are not tracked here.
            if let initializer = module.definedTableInitializers[table - importedTables],
               initializer.instructions != [.refNull(.funcref)] { continue }
            candidates[table] = Array(repeating: nil, count: Int(type.limits.min))
        }
        for export in module.exports where export.kind == .table { candidates[Int(export.index)] = nil }
        for info in validated.functions { for table in info.tablesWritten { candidates[Int(table)] = nil } }
        for segment in module.elements {
            guard case .active(let tableIndex, let offsetExpression) = segment.mode,
                  let table = candidates[Int(tableIndex)] else { continue }
            let functions = Self.functions(of: segment.items, module: module)
            guard let offset = Self.constant(offsetExpression), let functions,
                  offset <= UInt64(table.count), UInt64(functions.count) <= UInt64(table.count) - offset
            else {
                // Unknown until instantiation, or a segment that makes instantiation fail.
                candidates[Int(tableIndex)] = nil
                continue
            }
            candidates[Int(tableIndex)]!.replaceSubrange(Int(offset)..<Int(offset) + functions.count, with: functions)
        }
        slots = candidates
        typeIDs = module.typeCanon.canonical.map(Int.init)
    }

    /// A segment's functions, or nil when one is an import (its code and instance are the
    /// exporter's, known only at instantiation) or not a plain function reference.
    static func functions(of items: ElementItems, module: Module) -> [Int?]? {
        var result: [Int?] = []
        switch items {
        case .functions(let list):
            for function in list {
                guard Int(function) >= module.importedFunctionCount else { return nil }
                result.append(Int(function))
            }
        case .expressions(let list):
            for expression in list {
                guard expression.instructions.count == 1 else { return nil }
                switch expression.instructions[0] {
                case .refNull: result.append(nil)
                case .refFunc(let function) where Int(function) >= module.importedFunctionCount: result.append(Int(function))
                default: return nil
                }
            }
        }
        return result
    }

    /// A constant offset (`i32.const` or `i64.const`), or nil.
    static func constant(_ expression: ConstExpr) -> UInt64? {
        guard expression.instructions.count == 1 else { return nil }
        switch expression.instructions[0] {
        case .i32Const(let value): return UInt64(UInt32(bitPattern: value))
        case .i64Const(let value): return UInt64(bitPattern: value)
        default: return nil
        }
    }

    /// `<prefix>__table_N`'s definition (in the module's unit).
    func definitions(module: Module, names: CNames, prefix: String) -> String {
        var text = ""
        for (table, entries) in slots.sorted(by: { $0.key < $1.key }) {
            text += "WK_HIDDEN const wk_table_entry \(prefix)__table_\(table)[\(max(entries.count, 1))] = {"
            for (k, entry) in entries.enumerated() {
                text += k % 4 == 0 ? "\n   " : ""
                if let function = entry {
                    let type = typeIDs[Int(module.functionTypes[function])]
                    text += " {(const void *)\(names.function(function)), \(type)u},"
                } else {
                    text += " {NULL, UINT32_MAX},"
                }
            }
            if entries.isEmpty { text += "\n    {NULL, UINT32_MAX}," }
            text += "\n};\n\n"
        }
        return text
    }

    /// Their declarations (in the instance layout's header).
    func declarations(prefix: String) -> String {
        slots.keys.sorted().map { "WK_HIDDEN extern const wk_table_entry \(prefix)__table_\($0)[];\n" }.joined()
    }
}
