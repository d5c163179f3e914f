import Toolchain
import WasmDecoder

/// What `inspect` reports about a module; encoded as is for `--json`.
struct ModuleSummary: Encodable {
    struct Section: Encodable {
        var name: String
        var id: UInt8
        /// Offset of the payload, as `wasm-objdump -h` reports it.
        var offset: Int
        var size: Int
        var entries: Int?
    }

    struct ImportEntry: Encodable {
        var module: String
        var name: String
        var kind: String
        var type: String
    }

    struct ExportEntry: Encodable {
        var name: String
        var kind: String
        var index: UInt32
    }

    struct MemoryEntry: Encodable {
        var index: Int
        var imported: Bool
        var minPages: UInt64
        var maxPages: UInt64?
        var minMiB: Double
        var maxMiB: Double?
        /// Set (true) for a shared memory only.
        var shared: Bool?
        /// Set ("i64") for a 64-bit memory only (memory64).
        var addressType: String?
        /// From the name section.
        var name: String?
        /// Bytes per page where not 64 KiB (custom page sizes).
        var pageSize: UInt64?
    }

    struct TableEntry: Encodable {
        var index: Int
        var imported: Bool
        var elementType: String
        var min: UInt64
        var max: UInt64?
        /// Set ("i64") for a table with 64-bit indices only (table64).
        var indexType: String?
    }

    /// An index space: its imported entries come first, then the defined ones.
    struct Count: Encodable {
        var imported: Int
        var defined: Int
        var total: Int { imported + defined }
    }

    struct FunctionEntry: Encodable {
        var index: UInt32
        var name: String?
        /// Size of the body as the code section states it (locals and instructions).
        var bodySize: Int
    }

    /// The wasmkiln that wrote this summary, as `wasmkiln --version` prints it.
    var tool = "wasmkiln \(ToolVersion.version)"
    var file: String
    var size: Int
    var moduleName: String?
    var sections: [Section]
    var imports: [ImportEntry]
    var exports: [ExportEntry]
    var memories: [MemoryEntry]
    var tables: [TableEntry]
    var functions: Count
    var globals: Count
    var tags: Count
    var dataSegments: Int
    var elementSegments: Int
    var startFunction: UInt32?
    var largestFunctions: [FunctionEntry]
    /// The feature sets the function bodies use beyond Wasm 1.0, with how many functions use each.
    var features: [FeatureEntry]

    struct FeatureEntry: Encodable {
        var name: String
        var functions: Int
    }

    static let largestFunctionCount = 10

    init(module: Module, file: String) {
        self.file = file
        size = module.bytes.count
        moduleName = module.names.moduleName
        sections = module.sections.map { info in
            Section(name: info.name, id: info.id, offset: info.range.lowerBound, size: info.range.count,
                    entries: Self.entryCount(of: info, in: module))
        }
        imports = module.imports.map { entry in
            ImportEntry(module: entry.module, name: entry.name, kind: entry.kind.kind.description,
                        type: Self.describe(entry.kind, in: module))
        }
        exports = module.exports.map { ExportEntry(name: $0.name, kind: $0.kind.description, index: $0.index) }
        let importedMemories = module.memories.count - module.definedMemories.count
        memories = module.memories.enumerated().map { index, memory in
            let limits = memory.limits
            return MemoryEntry(index: index, imported: index < importedMemories,
                               minPages: limits.min, maxPages: limits.max,
                               minMiB: Self.mebibytes(pages: limits.min, pageSizeLog2: memory.pageSizeLog2),
                               maxMiB: limits.max.map { Self.mebibytes(pages: $0, pageSizeLog2: memory.pageSizeLog2) },
                               shared: memory.shared ? true : nil, addressType: memory.address64 ? "i64" : nil,
                               name: module.names.memoryNames[UInt32(index)],
                               pageSize: memory.pageSizeLog2 == 16 ? nil : 1 << memory.pageSizeLog2)
        }
        let importedTables = module.tables.count - module.definedTables.count
        tables = module.tables.enumerated().map { index, table in
            TableEntry(index: index, imported: index < importedTables, elementType: table.elementType.description,
                       min: table.limits.min, max: table.limits.max, indexType: table.limits.address64 ? "i64" : nil)
        }
        functions = Count(imported: module.importedFunctionCount, defined: module.definedFunctionTypes.count)
        globals = Count(imported: module.importedGlobalCount, defined: module.definedGlobals.count)
        tags = Count(imported: module.tags.count - module.definedTags.count, defined: module.definedTags.count)
        dataSegments = module.data.count
        elementSegments = module.elements.count
        startFunction = module.start
        largestFunctions = Self.largestFunctions(in: module)
        features = module.featureUse().filter { $0.feature != .core }.map { FeatureEntry(name: $0.feature.description, functions: $0.functions) }
    }

    static func mebibytes(pages: UInt64, pageSizeLog2: UInt32 = 16) -> Double {
        Double(pages) * Double(sign: .plus, exponent: Int(pageSizeLog2), significand: 1) / 1_048_576
    }

    /// The number of entries a section's vector holds, for the sections that have one.
    static func entryCount(of section: SectionInfo, in module: Module) -> Int? {
        switch section.id {
        case 1: module.types.count
        case 2: module.imports.count
        case 3: module.definedFunctionTypes.count
        case 4: module.definedTables.count
        case 5: module.definedMemories.count
        case 6: module.definedGlobals.count
        case 7: module.exports.count
        case 9: module.elements.count
        case 10: module.codes.count
        case 11: module.data.count
        case 12: module.dataCount.map(Int.init)
        case 13: module.definedTags.count
        default: nil
        }
    }

    /// An import's type, e.g. `[i32 i32] -> [i32]`, `funcref 1..10`, `mut i64`.
    static func describe(_ kind: ImportKind, in module: Module) -> String {
        switch kind {
        case .function(let typeIndex), .tag(let typeIndex):
            Int(typeIndex) < module.types.count ? module.types[Int(typeIndex)].description : "type \(typeIndex)"
        case .table(let table): "\(table.elementType) \(describe(table.limits))"
        case .memory(let memory): "\(describe(memory.limits)) pages"
        case .global(let global): global.isMutable ? "mut \(global.valueType)" : global.valueType.description
        }
    }

    /// `1..16`, or `1..` when there is no maximum; `i64 1..16` with 64-bit addresses.
    static func describe(_ limits: Limits) -> String {
        (limits.address64 ? "i64 " : "") + "\(limits.min)..\(limits.max.map(String.init) ?? "")"
    }

    static func largestFunctions(in module: Module) -> [FunctionEntry] {
        let firstDefined = module.importedFunctionCount
        let sizes = module.codes.enumerated().map { index, body in
            (index: UInt32(firstDefined + index), size: body.code.upperBound - bodyStart(body, in: module.bytes))
        }
        // Largest first; equal sizes in index order so the output is stable.
        let largest = sizes.sorted { $0.size != $1.size ? $0.size > $1.size : $0.index < $1.index }
            .prefix(largestFunctionCount)
        return largest.map { FunctionEntry(index: $0.index, name: module.functionName($0.index), bodySize: $0.size) }
    }

    /// Where a body starts: just past its LEB128 size field.
    static func bodyStart(_ body: FunctionBody, in bytes: [UInt8]) -> Int {
        var position = body.offset
        while position < body.code.lowerBound, bytes[position] & 0x80 != 0 { position += 1 }
        return position + 1
    }
}
