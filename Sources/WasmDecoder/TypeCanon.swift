/// Which of a module's types are the same type, and a name for each that other modules
/// give the same type: a function's type is checked by it when imported, and
/// `call_indirect` compares it at run time (through `wk_type_id`).
///
/// The name of a plain function type is the `wk_type_id` signature of wasmkiln.h: a letter
/// per parameter, ':', a letter per result ("iI:f"). A reference to a defined type is that
/// type's name in brackets, after '!' when not nullable: `(ref $t)` with `$t` = `[i32] ->
/// []` is "![i:]". GC adds a prefix for a type that is not final ('~') or has a supertype
/// (`<NAME>`), struct ("s(FIELDS)") and array ("a(FIELD)") shapes, a field's mutability
/// ('m') and packing ('8', '6'), and letters for the abstract heap types. A recursive group
/// is named whole, its types by position: "{BODY,BODY}.1", where a reference inside the
/// group is "#k". Two types are equal when their names are: iso-recursive equality.
///
/// A name longer than `longestEmbeddedName` is referred to by its digest, "@" and its
/// shape's letter ('f' function, 's' struct, 'a' array) and the SHA-256 of the name:
/// names embedding names whole would grow with nesting, doubling with each type that
/// refers to the one before twice.
public struct TypeCanon: Sendable {
    /// For each type index, its name.
    public let signatures: [String]
    /// For each type index, the first index whose type is equal to it.
    public let canonical: [UInt32]
    /// For each type index, how another type's name refers to it: its name or its digest.
    let references: [String]

    public static let longestEmbeddedName = 64

    public init() { (signatures, canonical, references) = ([], [], []) }

    public init(definitions: [TypeDefinition]) {
        var signatures: [String] = []
        var canonical: [UInt32] = []
        var references: [String] = []
        var first: [String: UInt32] = [:]
        signatures.reserveCapacity(definitions.count)
        var start = 0
        while start < definitions.count {
            let group = definitions[start].group
            let bodies = group.map { Self.body(definitions[$0], group: group, references: references) }
            let recursive = group.count > 1 || bodies[0].contains("#")
            for (offset, index) in group.enumerated() {
                let name = recursive ? "{" + bodies.joined(separator: ",") + "}.\(offset)" : bodies[0]
                signatures.append(name)
                references.append(Self.reference(to: name, shape: definitions[index].composite))
                if let existing = first[name] {
                    canonical.append(existing)
                } else {
                    first[name] = UInt32(index)
                    canonical.append(UInt32(index))
                }
            }
            start = group.upperBound
        }
        self.signatures = signatures
        self.canonical = canonical
        self.references = references
    }

    /// A value type's part of a name, outside the type section (a global's type).
    public func letter(_ type: ValueType) -> String {
        Self.letter(type, group: 0..<0, references: references)
    }

    /// How other names refer to the type named `name`.
    static func reference(to name: String, shape: CompositeType) -> String {
        guard name.utf8.count > longestEmbeddedName else { return name }
        let letter = switch shape {
        case .function: "f"
        case .structure: "s"
        case .array: "a"
        }
        var digest = SHA256()
        digest.update(name)
        return "@" + letter + digest.hexDigest()
    }

    static func body(_ definition: TypeDefinition, group: Range<Int>, references: [String]) -> String {
        func letters(_ types: [ValueType]) -> String {
            types.map { letter($0, group: group, references: references) }.joined()
        }
        func field(_ field: FieldType) -> String {
            let storage = switch field.storage {
            case .i8: "8"
            case .i16: "6"
            case .value(let type): letter(type, group: group, references: references)
            }
            return (field.isMutable ? "m" : "") + storage
        }
        var text = definition.isFinal ? "" : "~"
        if let supertype = definition.supertype { text += "<" + reference(supertype, group: group, references: references) + ">" }
        switch definition.composite {
        case .function(let type): text += letters(type.params) + ":" + letters(type.results)
        case .structure(let fields): text += "s(" + fields.map(field).joined() + ")"
        case .array(let element): text += "a(" + field(element) + ")"
        }
        return text
    }

    /// A type index's part of a name: its position if in `group`, else its reference.
    static func reference(_ index: UInt32, group: Range<Int>, references: [String]) -> String {
        if group.contains(Int(index)) { return "#\(Int(index) - group.lowerBound)" }
        // Validation holds indices below the group; an invalid module may name a later one.
        return Int(index) < references.count ? references[Int(index)] : "?\(index)"
    }

    static func letter(_ type: ValueType, group: Range<Int>, references: [String]) -> String {
        let nonNull = type.isNullable ? "" : "!"
        if let index = type.typeIndex { return nonNull + "[" + reference(index, group: group, references: references) + "]" }
        return nonNull + String(letter(of: type.kind))
    }

    /// Each kind of value's letter in type names and `wk_type_id` signatures.
    public static func letter(of kind: ValueKind) -> Character {
        switch kind {
        case .i32: "i"
        case .i64: "I"
        case .f32: "f"
        case .f64: "F"
        case .v128: "v"
        case .funcref: "r"
        case .externref: "e"
        case .exnref: "x"
        case .anyref: "A"
        case .eqref: "Q"
        case .i31ref: "J"
        case .structref: "S"
        case .arrayref: "Y"
        case .nullref: "N"
        case .nullexternref: "E"
        case .nullfuncref: "R"
        case .nullexnref: "X"
        }
    }

    /// The kind each letter stands for.
    public static let kinds = Dictionary(uniqueKeysWithValues: ValueKind.allCases.map { (letter(of: $0), $0) })
}
