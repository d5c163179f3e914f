import WasmDecoder

/// A WebAssembly value crossing into or out of compiled code. Floats are kept as their
/// bits, so NaN payloads and signs survive exactly.
public enum Value: Hashable, Sendable {
    case i32(UInt32)
    case i64(UInt64)
    case f32(bits: UInt32)
    case f64(bits: UInt64)
    case v128(lo: UInt64, hi: UInt64)
    /// The address of a `wk_func`; 0 is null.
    case funcref(UInt)
    /// A host pointer, passed through untouched; 0 is null.
    case externref(UInt)

    public static func f32(_ value: Float) -> Value { .f32(bits: value.bitPattern) }
    public static func f64(_ value: Double) -> Value { .f64(bits: value.bitPattern) }

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcref: .funcref
        case .externref: .externref
        }
    }

    public var isNullReference: Bool {
        switch self {
        case .funcref(0), .externref(0): true
        default: false
        }
    }

    /// Reads a value of `type` stored as its C type at `pointer`.
    static func load(_ type: ValueType, from pointer: UnsafeRawPointer) -> Value {
        switch type.kind {
        case .i32: .i32(pointer.loadUnaligned(as: UInt32.self))
        case .i64: .i64(pointer.loadUnaligned(as: UInt64.self))
        case .f32: .f32(bits: pointer.loadUnaligned(as: UInt32.self))
        case .f64: .f64(bits: pointer.loadUnaligned(as: UInt64.self))
        case .v128: .v128(lo: pointer.loadUnaligned(as: UInt64.self), hi: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        case .funcref, .nullfuncref: .funcref(pointer.loadUnaligned(as: UInt.self))
        default: .externref(pointer.loadUnaligned(as: UInt.self))  // other references
        }
    }

    /// Writes the value as its C type at `pointer`.
    func store(to pointer: UnsafeMutableRawPointer) {
        switch self {
        case .i32(let value): pointer.storeBytes(of: value, as: UInt32.self)
        case .i64(let value): pointer.storeBytes(of: value, as: UInt64.self)
        case .f32(let bits): pointer.storeBytes(of: bits, as: UInt32.self)
        case .f64(let bits): pointer.storeBytes(of: bits, as: UInt64.self)
        case .v128(let lo, let hi):
            pointer.storeBytes(of: lo, as: UInt64.self)
            pointer.storeBytes(of: hi, toByteOffset: 8, as: UInt64.self)
        case .funcref(let address), .externref(let address): pointer.storeBytes(of: address, as: UInt.self)
        }
    }
}

/// The signature strings of wasmkiln.h: one letter per value type, parameters, ':',
/// results ("iI:f"); a global's is its type letter, after an 'm' when mutable.
public enum Signature {
    /// The kinds a host function's signature may hold (letters from `TypeCanon`).
    static let hostKinds: Set<ValueKind> = [.i32, .i64, .f32, .f64, .v128, .funcref, .externref]

    public static func letter(_ type: ValueType) -> Character? {
        guard hostKinds.contains(type.kind), type == ValueType(type.kind) else { return nil }
        return TypeCanon.letter(of: type.kind)
    }

    public static func type(_ letter: Character) -> ValueType? {
        TypeCanon.kinds[letter].flatMap { hostKinds.contains($0) ? ValueType($0) : nil }
    }

    /// nil when a type has no letter here (exnref, GC references).
    public static func text(_ type: FuncType) -> String? {
        let params = type.params.compactMap(letter), results = type.results.compactMap(letter)
        guard params.count == type.params.count, results.count == type.results.count else { return nil }
        return String(params) + ":" + String(results)
    }

    /// The function type a signature string describes (see `TypeCanon`): a reference to
    /// a defined type (`![i:]`) reads as the abstract type of its kind (funcref,
    /// structref, arrayref) and a GC reference as its abstract type, which are what calls
    /// need; nil for a struct or array type.
    public static func functionType(_ text: String) -> FuncType? {
        let name = Substring(text)
        guard let body = shape(name) else { return nil }
        let group = name.first == "{" ? groupBodies(name) : []
        let parts = topLevelParts(body, separator: ":")
        guard parts.count == 2, let params = valueTypes(parts[0], group: group), let results = valueTypes(parts[1], group: group)
        else { return nil }
        return FuncType(params: params, results: results)
    }

    /// A type name's shape: the body of its position in a recursive group
    /// ("{BODY,BODY}.k"), without its finality ('~') and supertype ("<NAME>"). A
    /// function's is "PARAMS:RESULTS", a struct's "s(FIELDS)", an array's "a(FIELD)".
    static func shape(_ name: Substring) -> Substring? {
        var body = name
        if body.first == "{" {
            guard let close = matching(body), let k = Int(body[body.index(after: close)...].dropFirst()) else { return nil }
            let bodies = groupBodies(name)
            guard k < bodies.count else { return nil }
            body = bodies[k]
        }
        return bareShape(body)
    }

    /// A recursive group's bodies: "{BODY,BODY}.k" without the braces and position.
    static func groupBodies(_ name: Substring) -> [Substring] {
        guard let close = matching(name) else { return [] }
        return topLevelParts(name[name.index(after: name.startIndex)..<close], separator: ",")
    }

    /// A body without its finality and supertype.
    static func bareShape(_ body: Substring) -> Substring? {
        var body = body
        if body.first == "~" { body = body.dropFirst() }
        if body.first == "<" {
            guard let close = matching(body) else { return nil }
            body = body[body.index(after: close)...]
        }
        return body
    }

    /// The value types of a parameter or result list; `group` holds the bodies of the
    /// recursive group it is in, which "#k" names.
    static func valueTypes(_ text: Substring, group: [Substring] = []) -> [ValueType]? {
        var types: [ValueType] = []
        var rest = text
        while let character = rest.first {
            if character == "!" {
                rest = rest.dropFirst()
                continue
            }
            if character == "[" {
                guard let close = matching(rest) else { return nil }
                let name = rest[rest.index(after: rest.startIndex)..<close]
                let member = name.first == "#" ? Int(name.dropFirst()).flatMap { group.indices.contains($0) ? group[$0] : nil } : nil
                // A long name's digest, "@" and its shape's letter: the letter as the shape.
                let digestShape = name.first == "@" ? name.dropFirst().prefix(1) + "(" : nil
                guard let shape = digestShape ?? member.map(bareShape) ?? shape(name) else { return nil }
                types.append(ValueType(shape.hasPrefix("s(") ? .structref : shape.hasPrefix("a(") ? .arrayref : .funcref))
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard let type = TypeCanon.kinds[character].map(ValueType.init) else { return nil }
            types.append(type)
            rest = rest.dropFirst()
        }
        return types
    }

    /// The index of the bracket that closes the one `text` starts with.
    static func matching(_ text: Substring) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "[", "{", "<", "(": depth += 1
            case "]", "}", ">", ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// `text` split at `separator`s outside brackets.
    static func topLevelParts(_ text: Substring, separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0, start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "[", "{", "<", "(": depth += 1
            case "]", "}", ">", ")": depth -= 1
            case separator where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }

    public static func globalType(_ text: String) -> (type: ValueType, mutable: Bool)? {
        let mutable = text.first == "m"
        let rest = mutable ? text.dropFirst() : Substring(text)
        guard rest.count == 1, let type = type(rest.first!) else { return nil }
        return (type, mutable)
    }
}
