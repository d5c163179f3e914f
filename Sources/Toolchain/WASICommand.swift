import WasmDecoder

/// What a module needs to be built as a standalone executable: a WASI command.
public enum WASICommand {
    /// The import module of WASI's functions.
    public static let importModule = "wasi_snapshot_preview1"
    /// wasi-threads: `"wasi" "thread-spawn"`, which starts `wasi_thread_start` of a new
    /// instance on a thread of its own.
    public static let threadSpawn = (module: "wasi", name: "thread-spawn")

    /// Why `module` is not a command, or nil when it is one. A command imports only WASI
    /// functions, wasi-threads' `thread-spawn` (then it exports `wasi_thread_start`) and at
    /// most one memory, which the executable creates (shared if declared so, as
    /// wasi-threads modules do); it exports a `_start` function taking and returning
    /// nothing, and its memory as `memory` unless it imports it. Which WASI names exist is
    /// left to the runtime.
    public static func problem(with module: Module) -> String? {
        var importsMemory = false
        for entry in module.imports {
            switch entry.kind {
            case .function where entry.module == importModule:
                continue
            case .function(let type) where entry.module == threadSpawn.module && entry.name == threadSpawn.name:
                guard module.types[Int(type)].params == [.i32], module.types[Int(type)].results == [.i32] else {
                    return "not a WASI command: \"wasi\" \"thread-spawn\" must be a function [i32] -> [i32]"
                }
                guard let start = module.exports.first(where: { $0.name == "wasi_thread_start" }), start.kind == .function,
                      let type = module.functionType(start.index), type.params == [.i32, .i32], type.results.isEmpty
                else {
                    return "not a WASI command: it imports \"wasi\" \"thread-spawn\" but does not export "
                        + "\"wasi_thread_start\" as a function [i32 i32] -> []"
                }
            case .memory where !importsMemory:
                importsMemory = true
            default:
                return "not a WASI command: it imports \(entry.kind.kind) \"\(entry.module)\" \"\(entry.name)\"; "
                    + "only \(importModule) functions, wasi-threads' \"wasi\" \"thread-spawn\" and one memory can be provided"
            }
        }
        guard let start = module.exports.first(where: { $0.name == "_start" }) else {
            return "not a WASI command: it does not export a \"_start\" function"
        }
        guard start.kind == .function, let type = module.functionType(start.index),
              type.params.isEmpty, type.results.isEmpty
        else {
            return "not a WASI command: export \"_start\" must be a function with no parameters or results"
        }
        guard importsMemory || module.exports.contains(where: { $0.name == "memory" && $0.kind == .memory }) else {
            return "not a WASI command: it does not export its memory as \"memory\""
        }
        if module.memories.first?.address64 == true {
            return "not a WASI command: WASI preview1 addresses a 32-bit memory, and this module's memory is 64-bit (memory64)"
        }
        return nil
    }
}
