import WasmDecoder

/// The C names of the typed API (`<prefix>.h`), chosen deterministically:
///
/// - an export `NAME` becomes `<prefix>_NAME`: every byte that is not an ASCII letter,
///   digit or `_` turns into `_`, leading `_`s are dropped (an empty result is `export`);
///   a function export also gets `<prefix>_try_NAME`;
/// - when any of those identifiers is taken, by the fixed API or an earlier export,
///   `_2`, `_3`, … is appended to NAME until none is;
/// - an import becomes the field `MODULE_NAME` of `<prefix>_imports` by the same rule,
///   unique among the fields (and not `context` or `wasi`, which the struct has);
/// - a GC type the exports hand out is named before the exports (`GCEmbedderTypes`).
///
/// Internal identifiers start with `<prefix>__`, which no derived name can.
struct EmbedderNames {
    let prefix: String
    /// Per export, in declaration order: the part after `<prefix>_`.
    private(set) var exports: [String] = []
    /// Per import, in declaration order: the field name in `<prefix>_imports`.
    private(set) var imports: [String] = []
    /// The C types and accessors of the GC types the exports hand out.
    private(set) var gcTypes = GCEmbedderTypes()

    /// Identifiers of the fixed API, after `<prefix>_`.
    static let fixed = ["imports", "imports_use_wasi", "new", "free", "trap", "clear_trap"]

    init(module: Module, names: CNames) {
        prefix = names.prefix
        var taken = Set(Self.fixed.map { "\(prefix)_\($0)" })
        for type in module.types where type.results.count > 1 {
            taken.insert(names.returnType(type.results))
        }
        gcTypes = GCEmbedderTypes(module: module, prefix: prefix, taken: &taken)
        for entry in module.exports {
            let base = Self.word(entry.name, fallback: "export")
            let isFunction = entry.kind == .function
            let unique = Self.unique(base) { candidate in
                let identifiers = ["\(prefix)_\(candidate)"] + (isFunction ? ["\(prefix)_try_\(candidate)"] : [])
                guard identifiers.allSatisfy({ !taken.contains($0) }) else { return false }
                taken.formUnion(identifiers)
                return true
            }
            exports.append(unique)
        }
        var fields: Set<String> = ["context", "wasi"]
        for entry in module.imports {
            let base = Self.word(entry.module, fallback: "import") + "_" + Self.word(entry.name, fallback: "import")
            imports.append(Self.unique(base) { fields.insert($0).inserted })
        }
    }

    /// `base`, or `base_2`, `base_3`, … : the first that `claim` accepts.
    static func unique(_ base: String, claim: (String) -> Bool) -> String {
        if claim(base) { return base }
        var number = 2
        while !claim("\(base)_\(number)") { number += 1 }
        return "\(base)_\(number)"
    }

    /// The letters, digits and `_` of `text` (others become `_`), without leading `_`.
    static func word(_ text: String, fallback: String) -> String {
        let word = String(CNames.sanitize(text, limit: .max).drop { $0 == "_" })
        return word.isEmpty ? fallback : word
    }

    /// Parameter names for a function's C prototype: the name section's local names where
    /// they are plain lowercase words that cannot clash with C or the wrapper's own
    /// variables, else `p0`, `p1`, ….
    static func parameters(of function: Int, count: Int, module: Module) -> [String] {
        let locals = module.names.localNames[UInt32(function)] ?? [:]
        var used = Set<String>()
        return (0..<count).map { index in
            if let name = locals[UInt32(index)], isPlainWord(name), !reserved.contains(name),
               used.insert(name).inserted
            {
                return name
            }
            return "p\(index)"
        }
    }

    private static func isPlainWord(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 32 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            && !(name.hasPrefix("p") && name.dropFirst().allSatisfy(\.isNumber))
    }

    /// C keywords, common macros, and the names the generated wrappers use.
    private static let reserved: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
        "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
        "volatile", "while", "bool", "true", "false", "errno", "stdin", "stdout", "stderr", "assert",
        "offsetof", "alignof", "alignas", "noreturn", "complex", "imaginary", "static_assert", "thread_local",
        "inst", "result", "call", "outcome", "context",
    ]
}
