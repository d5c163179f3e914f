import WasmDecoder

/// Where a GC object's fields lie: a struct's fields one after another, each aligned to
/// its size (at most 8: a v128 field is read and written with memcpy), after the object's
/// header (`wk_gc_fields`); an array's elements at `size` bytes each.
struct GCLayout {
    /// A struct's fields' byte offsets, and their total size.
    static func fields(_ fields: [FieldType]) -> (offsets: [Int], size: Int) {
        var offset = 0
        var offsets: [Int] = []
        for field in fields {
            let size = field.storage.size, alignment = min(size, 8)
            offset = (offset + alignment - 1) / alignment * alignment
            offsets.append(offset)
            offset += size
        }
        return (offsets, (offset + 7) / 8 * 8)
    }

    /// The accessor suffix of `wk_gc_get_*`/`wk_gc_set_*` for a storage type; `signed`
    /// for the packed `_s` reads.
    static func accessor(_ storage: StorageType, signed: Bool = false) -> String {
        switch storage {
        case .i8: signed ? "s8" : "u8"
        case .i16: signed ? "s16" : "u16"
        case .value(let type):
            switch type.kind {
            case .i32: "u32"
            case .i64: "u64"
            case .f32: "f32"
            case .f64: "f64"
            case .v128: "v128"
            default: "ref"
            }
        }
    }

    static func isGCReference(_ storage: StorageType) -> Bool {
        if case .value(let type) = storage { return type.isGCReference }
        return false
    }
}

/// The GC references a function holds in a shadow-stack frame (WK_GC_ROOTS): in a
/// function that calls or allocates, every local and stack slot of GC's internal
/// hierarchy, so that a collection inside finds them all. They are named as before
/// (`l3`, `s2g`) by macros for their frame slots, defined after the declarations and
/// undefined after the function. A function that neither calls nor allocates, or holds no
/// such reference, has no frame and pays nothing.
struct GCRoots {
    /// Frame slot of each local kept there.
    var locals: [Int: Int] = [:]
    var declarations = ""
    var undefinitions = ""
    var isEmpty: Bool { declarations.isEmpty }
}

extension FunctionLowering {
    func gcRoots(locals: [ValueType]) -> GCRoots {
        var roots = GCRoots()
        let gcSlots = slotTypes.indices.filter { slotTypes[$0] & ValueType(.anyref).slotBit != 0 }
        let gcLocals = usedLocals.sorted().filter { locals[$0].isGCReference }
        guard mayCollect, !(gcSlots.isEmpty && gcLocals.isEmpty) else { return roots }
        var text = "    WK_GC_ROOTS(gc_, \(gcLocals.count + gcSlots.count));\n"
        var macros = ""
        for (k, n) in gcLocals.enumerated() {
            roots.locals[n] = k
            // A parameter comes in a C variable of its name: it is copied to its slot first.
            if n < type.params.count { text += "    gc_[\(k)] = l\(n);\n" }
            macros += "#define l\(n) gc_[\(k)]\n"
            roots.undefinitions += "#undef l\(n)\n"
        }
        for (k, depth) in gcSlots.enumerated() {
            macros += "#define s\(depth)g gc_[\(gcLocals.count + k)]\n"
            roots.undefinitions += "#undef s\(depth)g\n"
        }
        roots.declarations = text + macros
        return roots
    }
}
