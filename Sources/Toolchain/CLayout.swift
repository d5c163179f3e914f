/// Byte offsets of the wasmkiln.h structures this library reads and writes.
///
/// Swift cannot import wasmkiln.h here (no C target of ours), and Swift does not promise
/// C layout for its own structs, so the loader works on raw pointers at these offsets.
/// They are C's layout on LP64 hosts (x86_64, aarch64); `ToolchainLayoutTests` compiles
/// `offsetof` of every field against the real header and compares.
enum CLayout {
    /// `wk_value`: a union; `wk_v128` is its largest member.
    enum Value {
        static let size = 16
    }

    /// `wk_func`
    enum Func {
        static let code = 0, typeID = 8, instance = 16, tail = 24
        static let size = 32
    }

    /// `wk_memory`
    enum Memory {
        static let base = 0, size = 8, pages = 16, maxPages = 20, shared = 48
    }

    /// `wk_table`
    enum Table {
        static let elements = 0, size = 8, max = 12, type = 16, index64 = 17
    }

    /// `wk_global`
    enum Global {
        static let value = 0, type = 16, isMutable = 17
        static let size = 24
    }

    /// `wk_extern`
    enum Extern {
        static let kind = 0, object = 8
        static let size = 16
    }

    /// `wk_extern_desc`
    enum ExternDesc {
        static let module = 0, name = 8, kind = 16, signature = 24, min = 32, max = 36, elemType = 40
        static let moduleLength = 44, nameLength = 48
        static let size = 56
    }

    /// `wk_module`
    enum Module {
        static let name = 0, importCount = 8, imports = 16, exportCount = 24, exports = 32, boundsMode = 40
        static let instantiate = 48, free = 56, getExport = 64
    }

    /// `wk_error`: `char message[256]`, then the code.
    enum Error {
        static let size = 260
    }

    /// Every offset above by its C name, for the layout test.
    static let all: [(c: String, offset: Int)] = [
        ("sizeof(wk_value)", Value.size),
        ("offsetof(wk_func, code)", Func.code), ("offsetof(wk_func, type_id)", Func.typeID),
        ("offsetof(wk_func, instance)", Func.instance), ("offsetof(wk_func, tail)", Func.tail),
        ("sizeof(wk_func)", Func.size),
        ("offsetof(wk_memory, base)", Memory.base), ("offsetof(wk_memory, size)", Memory.size),
        ("offsetof(wk_memory, pages)", Memory.pages), ("offsetof(wk_memory, max_pages)", Memory.maxPages),
        ("offsetof(wk_memory, shared)", Memory.shared),
        ("offsetof(wk_table, elements)", Table.elements), ("offsetof(wk_table, size)", Table.size),
        ("offsetof(wk_table, max)", Table.max), ("offsetof(wk_table, type)", Table.type),
        ("offsetof(wk_table, index64)", Table.index64),
        ("offsetof(wk_global, value)", Global.value), ("offsetof(wk_global, type)", Global.type),
        ("offsetof(wk_global, is_mutable)", Global.isMutable), ("sizeof(wk_global)", Global.size),
        ("offsetof(wk_extern, kind)", Extern.kind), ("offsetof(wk_extern, object)", Extern.object),
        ("sizeof(wk_extern)", Extern.size),
        ("offsetof(wk_extern_desc, module)", ExternDesc.module), ("offsetof(wk_extern_desc, name)", ExternDesc.name),
        ("offsetof(wk_extern_desc, kind)", ExternDesc.kind),
        ("offsetof(wk_extern_desc, signature)", ExternDesc.signature),
        ("offsetof(wk_extern_desc, min)", ExternDesc.min), ("offsetof(wk_extern_desc, max)", ExternDesc.max),
        ("offsetof(wk_extern_desc, elem_type)", ExternDesc.elemType), ("sizeof(wk_extern_desc)", ExternDesc.size),
        ("offsetof(wk_extern_desc, module_length)", ExternDesc.moduleLength),
        ("offsetof(wk_extern_desc, name_length)", ExternDesc.nameLength),
        ("offsetof(wk_module, name)", Module.name), ("offsetof(wk_module, import_count)", Module.importCount),
        ("offsetof(wk_module, imports)", Module.imports), ("offsetof(wk_module, export_count)", Module.exportCount),
        ("offsetof(wk_module, exports)", Module.exports), ("offsetof(wk_module, bounds_mode)", Module.boundsMode),
        ("offsetof(wk_module, instantiate)", Module.instantiate), ("offsetof(wk_module, free)", Module.free),
        ("offsetof(wk_module, get_export)", Module.getExport),
        ("sizeof(wk_error)", Error.size),
    ]
}
