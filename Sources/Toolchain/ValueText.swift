import WasmDecoder

/// Values as people type and read them: `wasmkiln run`'s arguments and results.
public enum ValueText {
    /// A bad argument, with the reason.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads `text` as a value of `type`. Integers: signed or unsigned decimal, or hex
    /// (`0x…`, `-0x…`). Floats: decimal or hex-float literals, `inf`, `-inf`, `nan`,
    /// `nan:0x…` (a payload), or exact bits as `f32:0x…` / `f64:0x…`. v128: `0x` and up to
    /// 32 hex digits. References: `null`, or for externref a host value as an integer.
    public static func parse(_ text: String, as type: ValueType) throws(ParseError) -> Value {
        let fail = ParseError(description: "'\(text)' is not \(article(type)) \(type)")
        if let colon = text.firstIndex(of: ":"), let prefix = ValueType.named(String(text[..<colon])) {
            guard prefix == type else { throw ParseError(description: "'\(text)' given for \(article(type)) \(type) parameter") }
            let bits = text[text.index(after: colon)...]
            guard bits.hasPrefix("0x"), let value = UInt64(bits.dropFirst(2), radix: 16) else { throw fail }
            switch type {
            case .i32 where value <= UInt32.max: return .i32(UInt32(value))
            case .i64: return .i64(value)
            case .f32 where value <= UInt32.max: return .f32(bits: UInt32(value))
            case .f64: return .f64(bits: value)
            default: throw fail
            }
        }
        switch type.kind {
        case .i32:
            guard let value = integer(text, bits: 32) else { throw fail }
            return .i32(UInt32(truncatingIfNeeded: value))
        case .i64:
            guard let value = integer(text, bits: 64) else { throw fail }
            return .i64(value)
        case .f32:
            guard let value = float(text, Float.self) else { throw fail }
            return .f32(bits: value.bitPattern)
        case .f64:
            guard let value = float(text, Double.self) else { throw fail }
            return .f64(bits: value.bitPattern)
        case .v128:
            let digits = text.hasPrefix("0x") ? text.dropFirst(2) : ""
            guard !digits.isEmpty, digits.count <= 32, digits.allSatisfy(\.isHexDigit) else { throw fail }
            let lo = UInt64(digits.suffix(16), radix: 16)!, hi = digits.count > 16 ? UInt64(digits.dropLast(16), radix: 16)! : 0
            return .v128(lo: lo, hi: hi)
        case .funcref:
            guard text == "null" else { throw fail }
            return .funcref(0)
        case .externref:
            if text == "null" { return .externref(0) }
            guard let value = integer(text, bits: 64) else { throw fail }
            return .externref(UInt(value))
        default:  // exnref and GC references: no text for them
            throw fail
        }
    }

    /// The lane shapes of a v128 in the text format, with their lane type and count.
    static let shapes: [String: (lane: ValueType, bits: Int, count: Int)] = [
        "i8x16": (.i32, 8, 16), "i16x8": (.i32, 16, 8), "i32x4": (.i32, 32, 4), "i64x2": (.i64, 64, 2),
        "f32x4": (.f32, 32, 4), "f64x2": (.f64, 64, 2),
    ]

    /// Reads the arguments of a call to a function with parameters `types` from the words
    /// after its name. A v128 is one word (`0x` and hex digits) or, as in the spec scripts,
    /// a shape and its lanes: `i32x4 1 2 3 4`, `f32x4 1.5 nan -0 inf` (`v128` before the
    /// shape may be given too).
    public static func arguments(_ words: [String], types: [ValueType]) throws(ParseError) -> [Value] {
        var values: [Value] = []
        var k = 0
        for (index, type) in types.enumerated() {
            let position = "argument \(index + 1)"
            guard k < words.count else { throw ParseError(description: "\(position) (\(type)) is missing") }
            if type == .v128 {
                if words[k] == "v128" { k += 1 }
                if k < words.count, let shape = shapes[words[k]] {
                    let lanes = words.dropFirst(k + 1).prefix(shape.count)
                    guard lanes.count == shape.count else {
                        throw ParseError(description: "\(position): \(words[k]) needs \(shape.count) lanes, \(lanes.count) given")
                    }
                    var bytes: [UInt8] = []
                    for lane in lanes {
                        let bits: UInt64
                        do throws(ParseError) {
                            switch try parse(String(lane), as: shape.lane) {
                            case .i32 where shape.bits < 32:
                                guard let narrow = integer(String(lane), bits: shape.bits) else {
                                    throw ParseError(description: "'\(lane)' is not an i\(shape.bits) lane")
                                }
                                bits = narrow
                            case .i32(let value): bits = UInt64(value)
                            case .i64(let value): bits = value
                            case .f32(let value): bits = UInt64(value)
                            case .f64(let value): bits = value
                            default: bits = 0
                            }
                        } catch {
                            throw ParseError(description: "\(position): \(error)")
                        }
                        bytes += (0..<(shape.bits / 8)).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
                    }
                    func half(_ start: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[start + $1]) << (8 * $1) } }
                    values.append(.v128(lo: half(0), hi: half(8)))
                    k += 1 + shape.count
                    continue
                }
                guard k < words.count else { throw ParseError(description: "\(position) (v128) is missing") }
            }
            do throws(ParseError) {
                values.append(try parse(words[k], as: type))
            } catch {
                throw ParseError(description: "\(position): \(error)")
            }
            k += 1
        }
        guard k == words.count else {
            throw ParseError(description: "\(words.count - k) word\(words.count - k == 1 ? "" : "s") after the last argument: \(words[k...].joined(separator: " "))")
        }
        return values
    }

    /// Splits a call as people write it, `NAME ARG...`, into the export's name and the
    /// arguments' texts. A name with spaces, quotes or other characters that are hard to
    /// type is written as a string in the text format's syntax: `"a b" 1`, `"" 2`,
    /// `"\00x"`, `"\u{1F600}"` (escapes `\t \n \r \" \' \\`, `\hh` bytes, `\u{…}`).
    public static func invocation(_ text: String) throws(ParseError) -> (name: String, arguments: [String]) {
        guard text.first == "\"" else {
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let name = words.first else { throw ParseError(description: "--invoke needs a function name") }
            return (name, Array(words.dropFirst()))
        }
        let (name, rest) = try quotedName(Array(text.utf8))
        if let first = rest.first, !first.isWhitespace {
            throw ParseError(description: "expected a space after the quoted name in '\(text)'")
        }
        return (name, rest.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    /// The string literal that `bytes` starts with, decoded, and the text after it.
    private static func quotedName(_ bytes: [UInt8]) throws(ParseError) -> (String, Substring) {
        let unterminated = ParseError(description: "the quoted name has no closing '\"'")
        var name: [UInt8] = []
        var k = 1
        while k < bytes.count {
            let byte = bytes[k]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: name, as: UTF8.self) else {
                    throw ParseError(description: "the quoted name is not UTF-8 (export names are)")
                }
                return (text, Substring(String(decoding: bytes[(k + 1)...], as: UTF8.self)))
            }
            guard byte == UInt8(ascii: "\\") else {
                name.append(byte)
                k += 1
                continue
            }
            guard k + 1 < bytes.count else { throw unterminated }
            let escape = bytes[k + 1]
            switch escape {
            case UInt8(ascii: "t"): name.append(0x09)
            case UInt8(ascii: "n"): name.append(0x0A)
            case UInt8(ascii: "r"): name.append(0x0D)
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): name.append(escape)
            case UInt8(ascii: "u"):
                guard k + 2 < bytes.count, bytes[k + 2] == UInt8(ascii: "{"),
                      let close = bytes[(k + 3)...].firstIndex(of: UInt8(ascii: "}")),
                      let value = UInt32(String(decoding: bytes[(k + 3)..<close], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(value)
                else { throw ParseError(description: "bad \\u{…} escape in the quoted name") }
                name += Array(String(Character(scalar)).utf8)
                k = close + 1
                continue
            default:
                guard k + 2 < bytes.count,
                      let byte = UInt8(String(decoding: bytes[(k + 1)...(k + 2)], as: UTF8.self), radix: 16)
                else { throw ParseError(description: "bad escape in the quoted name") }
                name.append(byte)
                k += 3
                continue
            }
            k += 2
        }
        throw unterminated
    }

    /// `TYPE VALUE`: integers in signed decimal, floats in the shortest decimal that reads
    /// back to the same bits, `inf`, `nan` for canonical NaNs and `nan:0x…` with the
    /// payload otherwise, each NaN with its sign.
    public static func format(_ value: Value) -> String {
        switch value {
        case .i32(let bits): "i32 \(Int32(bitPattern: bits))"
        case .i64(let bits): "i64 \(Int64(bitPattern: bits))"
        case .f32(let bits): "f32 \(float(Float(bitPattern: bits)))"
        case .f64(let bits): "f64 \(float(Double(bitPattern: bits)))"
        case .v128(let lo, let hi):
            "v128 i32x4 " + [lo, lo >> 32, hi, hi >> 32].map { "0x" + hex($0 & 0xffff_ffff, digits: 8) }.joined(separator: " ")
        case .funcref(let address): "funcref \(address == 0 ? "null" : "0x" + String(address, radix: 16))"
        case .externref(let address): "externref \(address == 0 ? "null" : String(address))"
        }
    }

    /// A result of `type`: as `format(_:)`, but a reference of GC's hierarchy reads as
    /// its abstract type and address, or null ("structref 0x7f…", "arrayref null"), and an
    /// i31 where the type is eqref or i31ref as its signed value ("i31ref -5"). An anyref
    /// may hold a host value, which looks like an i31, so its bits are shown as they are.
    public static func format(_ value: Value, as type: ValueType) -> String {
        guard type.kind.top == .anyref, case .externref(let bits) = value else { return format(value) }
        let kind = "\(ValueType(type.kind))"
        if bits == 0 { return kind + " null" }
        if bits & 1 == 1, type.kind == .eqref || type.kind == .i31ref {
            return "i31ref \(Int32(truncatingIfNeeded: bits) >> 1)"
        }
        return kind + " 0x" + String(bits, radix: 16)
    }

    static func float<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> String
        where F.RawSignificand: FixedWidthInteger
    {
        let sign = value.sign == .minus ? "-" : ""
        if value.isNaN {
            let payload = value.significandBitPattern
            let canonical: F.RawSignificand = 1 << (F.significandBitCount - 1)
            return payload == canonical ? "\(sign)nan" : "\(sign)nan:0x\(String(payload, radix: 16))"
        }
        if value.isInfinite { return "\(sign)inf" }
        return value.description
    }

    static func float<F: BinaryFloatingPoint & LosslessStringConvertible>(_ text: String, _: F.Type) -> F?
        where F.RawSignificand: FixedWidthInteger
    {
        var body = Substring(text)
        var sign: FloatingPointSign = .plus
        if let first = body.first, first == "-" || first == "+" {
            if first == "-" { sign = .minus }
            body = body.dropFirst()
        }
        let magnitude: F
        switch body {
        case "inf", "infinity": magnitude = .infinity
        case "nan": magnitude = .nan
        case _ where body.hasPrefix("nan:0x"):
            let canonicalMask: F.RawSignificand = (1 << F.significandBitCount) - 1
            guard let payload = F.RawSignificand(body.dropFirst(6), radix: 16), payload != 0, payload <= canonicalMask else {
                return nil
            }
            magnitude = F(sign: .plus, exponentBitPattern: (1 << F.exponentBitCount) - 1, significandBitPattern: payload)
        default:
            // Digits only: Swift's parser would also take "nan(…)" and "infinity" spellings.
            guard let first = body.first, first.isNumber || first == ".", let value = F(String(body)),
                  value.isFinite, value.sign == .plus
            else { return nil }
            magnitude = value
        }
        return sign == .minus ? -magnitude : magnitude
    }

    /// A decimal or hex integer that fits in `bits` bits, signed or unsigned.
    static func integer(_ text: String, bits: Int) -> UInt64? {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative || body.first == "+" { body = body.dropFirst() }
        let hex = body.hasPrefix("0x")
        if hex { body = body.dropFirst(2) }
        guard !body.isEmpty, body.allSatisfy({ hex ? $0.isHexDigit : $0.isASCII && $0.isNumber }),
              let magnitude = UInt64(body, radix: hex ? 16 : 10)
        else { return nil }
        if negative {
            guard magnitude <= UInt64(1) << (bits - 1) else { return nil }
            return 0 &- magnitude
        }
        guard bits == 64 || magnitude <= (UInt64(1) << bits) - 1 else { return nil }
        return magnitude
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func article(_ type: ValueType) -> String {
        type == .v128 || type == .funcref ? "a" : "an"
    }
}

extension ValueType {
    /// The type named as in the text format (`i32`, `funcref`, …).
    static func named(_ name: String) -> ValueType? {
        [ValueType.i32, .i64, .f32, .f64, .v128, .funcref, .externref, .exnref].first { $0.description == name }
    }
}
