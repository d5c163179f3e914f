import WasmDecoder

extension ValueType {
    /// The C type of a value of this type.
    var cType: String {
        switch kind {
        case .i32: "uint32_t"
        case .i64: "uint64_t"
        case .f32: "float"
        case .f64: "double"
        case .v128: "wk_v128"
        default: "void *"  // references
        }
    }

    /// The suffix of an operand stack slot's C variable holding this type.
    var slotSuffix: String {
        switch kind {
        case .i32: "i"
        case .i64: "j"
        case .f32: "f"
        case .f64: "d"
        case .v128: "v"
        default: isGCReference ? "g" : "r"  // references
        }
    }

    /// A reference of GC's internal hierarchy (any): it may point to a GC object, which the
    /// collector must find.
    var isGCReference: Bool { isReference && kind.top == .anyref }

    /// The `wk_value` field for this type.
    var valueField: String {
        switch kind {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        default: "ref"  // references
        }
    }
}

/// Names in the generated C, all under the module's prefix.
struct CNames {
    let prefix: String
    let module: Module

    /// A C identifier made of the letters, digits and underscores of `text`.
    static func sanitize(_ text: String, limit: Int = 40) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            let isWordCharacter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "_"
            result.append(isWordCharacter ? Character(scalar) : "_")
        }
        return result
    }

    /// Defined function `index` (in the whole index space), named after the name section when it has a name.
    func function(_ index: Int) -> String {
        let base = "\(prefix)__f\(index)"
        guard let name = module.names.functionNames[UInt32(index)], !name.isEmpty else { return base }
        return base + "_" + Self.sanitize(name)
    }

    /// The body of a defined function that makes tail calls, entered through `wk_tail_run`.
    func tailEntry(_ index: Int) -> String { function(index) + "_tail" }

    var instanceType: String { "\(prefix)__instance" }

    /// The C return type of functions with these results.
    func returnType(_ results: [ValueType]) -> String {
        switch results.count {
        case 0: "void"
        case 1: results[0].cType
        // By kind: result lists that differ only in their references' types share a struct.
        default: "\(prefix)_results_" + results.map { ValueType($0.kind).description }.joined(separator: "_")
        }
    }

    /// A pointer-to-function type for calling code of this signature through `wk_func.code`.
    func pointerType(_ type: FuncType) -> String {
        let params = (["void *"] + type.params.map(\.cType)).joined(separator: ", ")
        return "\(returnType(type.results)) (*)(\(params))"
    }
}

extension Module {
    /// Where data segment `index`'s bytes start in `<prefix>__data`, all segments' bytes
    /// laid one after another.
    func dataStart(_ index: Int) -> Int {
        data[..<index].reduce(0) { $0 + $1.range.count }
    }
}
