import WasmDecoder

/// What a module needs to be built as a standalone executable: a WASI command.
public enum WASICommand {
    /// The only import module a command executable can satisfy.
    public static let importModule = "wasi_snapshot_preview1"

    /// Why `module` is not a command (every import from `wasi_snapshot_preview1`, a
    /// `_start` function taking and returning nothing, its memory exported as `memory`),
    /// or nil when it is one. Which WASI names exist is left to the runtime.
    public static func problem(with module: Module) -> String? {
        if let foreign = module.imports.first(where: { $0.module != importModule }) {
            return "not a WASI command: it imports \(foreign.kind.kind) \"\(foreign.module)\" \"\(foreign.name)\"; "
                + "only \(importModule) imports can be provided"
        }
        guard let start = module.exports.first(where: { $0.name == "_start" }) else {
            return "not a WASI command: it does not export a \"_start\" function"
        }
        guard start.kind == .function, let type = module.functionType(start.index),
              type.params.isEmpty, type.results.isEmpty
        else {
            return "not a WASI command: export \"_start\" must be a function with no parameters or results"
        }
        guard module.exports.contains(where: { $0.name == "memory" && $0.kind == .memory }) else {
            return "not a WASI command: it does not export its memory as \"memory\""
        }
        return nil
    }
}
