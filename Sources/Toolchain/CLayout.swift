import CWasmKiln

/// Byte offsets of the wasmkiln.h structures this library reads and writes, taken from
/// the header itself (the CWasmKiln module): the loader works on raw pointers that the
/// runtime and generated code hand it, at these offsets.
enum CLayout {
    /// `wk_value`: a union; `wk_v128` is its largest member.
    enum Value {
        static let size = MemoryLayout<wk_value>.size
    }

    /// `wk_func`
    enum Func {
        static let code = offset(\wk_func.code), typeID = offset(\wk_func.type_id)
        static let instance = offset(\wk_func.instance), tail = offset(\wk_func.tail)
        static let size = MemoryLayout<wk_func>.size
    }

    /// `wk_memory`
    enum Memory {
        static let base = offset(\wk_memory.base), size = offset(\wk_memory.size), pages = offset(\wk_memory.pages)
        static let maxPages = offset(\wk_memory.max_pages), shared = offset(\wk_memory.shared)
    }

    /// `wk_table`
    enum Table {
        static let elements = offset(\wk_table.elements), size = offset(\wk_table.size), max = offset(\wk_table.max)
        static let type = offset(\wk_table.type), index64 = offset(\wk_table.index64)
    }

    /// `wk_global`
    enum Global {
        static let value = offset(\wk_global.value), type = offset(\wk_global.type)
        static let isMutable = offset(\wk_global.is_mutable)
        static let size = MemoryLayout<wk_global>.size
    }

    /// `wk_extern`
    enum Extern {
        static let kind = offset(\wk_extern.kind), object = offset(\wk_extern.object)
        static let size = MemoryLayout<wk_extern>.size
    }

    /// `wk_extern_desc`
    enum ExternDesc {
        static let module = offset(\wk_extern_desc.module), name = offset(\wk_extern_desc.name)
        static let kind = offset(\wk_extern_desc.kind), signature = offset(\wk_extern_desc.signature)
        static let min = offset(\wk_extern_desc.min), max = offset(\wk_extern_desc.max)
        static let elemType = offset(\wk_extern_desc.elem_type)
        static let moduleLength = offset(\wk_extern_desc.module_length), nameLength = offset(\wk_extern_desc.name_length)
        static let size = MemoryLayout<wk_extern_desc>.size
    }

    /// `wk_module`
    enum Module {
        static let name = offset(\wk_module.name), importCount = offset(\wk_module.import_count)
        static let imports = offset(\wk_module.imports), exportCount = offset(\wk_module.export_count)
        static let exports = offset(\wk_module.exports), boundsMode = offset(\wk_module.bounds_mode)
        static let instantiate = offset(\wk_module.instantiate), free = offset(\wk_module.free)
        static let getExport = offset(\wk_module.get_export), usesGC = offset(\wk_module.uses_gc)
    }

    /// `wk_error`: `char message[256]`, then the code.
    enum Error {
        static let size = MemoryLayout<wk_error>.size
    }

    /// A stored field's offset; every field named here is one.
    private static func offset<Root>(_ field: PartialKeyPath<Root>) -> Int {
        MemoryLayout<Root>.offset(of: field)!
    }
}
