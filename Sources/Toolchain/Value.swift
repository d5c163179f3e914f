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

    /// Reads a value of `type` stored as its C type at `pointer`.
    static func load(_ type: ValueType, from pointer: UnsafeRawPointer) -> Value {
        switch type.kind {
        case .i32: .i32(pointer.loadUnaligned(as: UInt32.self))
        case .i64: .i64(pointer.loadUnaligned(as: UInt64.self))
        case .f32: .f32(bits: pointer.loadUnaligned(as: UInt32.self))
        case .f64: .f64(bits: pointer.loadUnaligned(as: UInt64.self))
        case .v128: .v128(lo: pointer.loadUnaligned(as: UInt64.self), hi: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        case .funcref: .funcref(pointer.loadUnaligned(as: UInt.self))
        case .externref, .exnref: .externref(pointer.loadUnaligned(as: UInt.self))
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
    static let letters: [(ValueType, Character)] = [
        (.i32, "i"), (.i64, "I"), (.f32, "f"), (.f64, "F"), (.v128, "v"), (.funcref, "r"), (.externref, "e"),
    ]

    public static func letter(_ type: ValueType) -> Character? {
        letters.first { $0.0 == type }?.1
    }

    public static func type(_ letter: Character) -> ValueType? {
        letters.first { $0.1 == letter }?.0
    }

    /// nil when a type has no letter (exnref).
    public static func text(_ type: FuncType) -> String? {
        let params = type.params.compactMap(letter), results = type.results.compactMap(letter)
        guard params.count == type.params.count, results.count == type.results.count else { return nil }
        return String(params) + ":" + String(results)
    }

    /// The function type a signature string describes. A typed reference (`![i:]`, see
    /// `TypeCanon`) reads as a funcref, its representation: calls need no more.
    public static func functionType(_ text: String) -> FuncType? {
        var params: [ValueType] = [], results: [ValueType] = []
        var inResults = false
        var characters = Substring(text)
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case ":":
                guard !inResults else { return nil }
                inResults = true
                continue
            case "!":
                guard let next = characters.first, next == "[" || type(next)?.isReference == true else { return nil }
                continue  // the reference that follows is not nullable
            case "[":
                guard skipBracket(&characters) else { return nil }
                if inResults { results.append(.funcref) } else { params.append(.funcref) }
            default:
                guard let type = type(character) else { return nil }
                if inResults { results.append(type) } else { params.append(type) }
            }
        }
        return inResults ? FuncType(params: params, results: results) : nil
    }

    /// Drops the rest of a bracket whose '[' was read, and its ']'.
    static func skipBracket(_ characters: inout Substring) -> Bool {
        var depth = 1
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "[" { depth += 1 }
            if character == "]" { depth -= 1; if depth == 0 { return true } }
        }
        return false
    }

    public static func globalType(_ text: String) -> (type: ValueType, mutable: Bool)? {
        let mutable = text.first == "m"
        let rest = mutable ? text.dropFirst() : Substring(text)
        guard rest.count == 1, let type = type(rest.first!) else { return nil }
        return (type, mutable)
    }
}
