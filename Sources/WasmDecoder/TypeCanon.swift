/// Which of a module's types are the same type, and a name for each that other modules
/// give the same type: a function's type is checked by it when imported, and
/// `call_indirect` compares it at run time (through `wk_type_id`).
///
/// The name is the `wk_type_id` signature: a letter per parameter, ':', a letter per
/// result ("iI:f"). A reference to a defined type is that type's own signature in
/// brackets, after '!' when not nullable: `(ref $t)` with `$t` = `[i32] -> []` is "![i:]".
/// A type that refers to itself writes "[@]", which names the type whose signature
/// encloses the bracket: each type is a recursive group of its own, and two such types
/// are equal when their signatures are (iso-recursive equality).
public struct TypeCanon: Sendable {
    /// For each type index, its signature.
    public let signatures: [String]
    /// For each type index, the first index whose type is equal to it.
    public let canonical: [UInt32]

    public init() { (signatures, canonical) = ([], []) }

    public init(types: [FuncType]) {
        var signatures: [String] = []
        var canonical: [UInt32] = []
        var first: [String: UInt32] = [:]
        signatures.reserveCapacity(types.count)
        for (index, type) in types.enumerated() {
            func letters(_ values: [ValueType]) -> String {
                values.map { Self.letter($0, own: UInt32(index), signatures: signatures) }.joined()
            }
            let signature = letters(type.params) + ":" + letters(type.results)
            signatures.append(signature)
            if let existing = first[signature] {
                canonical.append(existing)
            } else {
                first[signature] = UInt32(index)
                canonical.append(UInt32(index))
            }
        }
        self.signatures = signatures
        self.canonical = canonical
    }

    /// A value type's part of a signature, outside the type section (a global's type).
    public func letter(_ type: ValueType) -> String {
        Self.letter(type, own: UInt32.max, signatures: signatures)
    }

    /// A value type's part of a signature; `own` is the index of the type being named.
    static func letter(_ type: ValueType, own: UInt32, signatures: [String]) -> String {
        let nonNull = type.isNullable ? "" : "!"
        if let index = type.typeIndex {
            // Indices are below the type's own (validation holds them there, the decoder to
            // the type's own at most).
            return nonNull + "[" + (index >= own ? "@" : signatures[Int(index)]) + "]"
        }
        let letter = switch type.kind {
        case .i32: "i"
        case .i64: "I"
        case .f32: "f"
        case .f64: "F"
        case .v128: "v"
        case .funcref: "r"
        case .externref: "e"
        case .exnref: "x"
        }
        return nonNull + letter
    }
}
