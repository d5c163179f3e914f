import CLowering
import Toolchain
import WasmDecoder

/// The `spectest` module the spec's scripts import from: print functions that do
/// nothing, four immutable globals, tables (32- and 64-bit) and memories.
enum SpecTestHost {
    /// Fresh exports for one script: the scripts write to the table and memory.
    static func exports(runtime: RuntimeLibrary, boundsChecks: BoundsChecks) throws -> [String: Extern] {
        var exports: [String: Extern] = [:]
        let prints: [(String, [ValueType])] = [
            ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
            ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
        ]
        for (name, params) in prints {
            let type = FuncType(params: params, results: [])
            exports[name] = .function(try Function.host(runtime: runtime, type: type) { _ in [] })
        }
        exports["global_i32"] = .global(Global.create(.i32(666), mutable: false))
        exports["global_i64"] = .global(Global.create(.i64(666), mutable: false))
        exports["global_f32"] = .global(Global.create(.f32(666.6), mutable: false))
        exports["global_f64"] = .global(Global.create(.f64(666.6), mutable: false))
        exports["table"] = .table(try Table.create(runtime: runtime, elementType: .funcref, size: 10, max: 20))
        exports["table64"] = .table(try Table.create(runtime: runtime, elementType: .funcref, size: 10, max: 20, index64: true))
        // Guard-page code needs a guarded memory, so the memory follows the script's mode.
        exports["memory"] = .memory(try Memory.create(runtime: runtime, pages: 1, maxPages: 2, boundsChecks: boundsChecks))
        exports["shared_memory"] = .memory(try Memory.create(runtime: runtime, pages: 1, maxPages: 2, boundsChecks: boundsChecks,
                                                             shared: true))
        return exports
    }
}
