import Foundation
import Toolchain

/// Compares results with `assert_return`'s expectations.
enum ResultMatching {
    /// nil when `results` match, else what went wrong.
    static func mismatch(_ results: [Value], _ expected: [Expected]) -> String? {
        guard results.count != expected.count || !zip(expected, results).allSatisfy({ $0.matches($1) }) else { return nil }
        return "expected \(text(expected.map(\.description))), got \(text(results.map(describe)))"
    }

    /// A result in the script's notation: externref host values are `ref.extern N` + 1.
    static func describe(_ value: Value) -> String {
        switch value {
        case .externref(let address) where address != 0: "ref.extern \(address - 1)"
        default: ValueText.format(value)
        }
    }

    private static func text(_ values: [String]) -> String {
        values.isEmpty ? "nothing" : "(" + values.joined(separator: ", ") + ")"
    }
}

extension Expected: CustomStringConvertible {
    func matches(_ value: Value) -> Bool {
        switch (self, value) {
        case (.value(let expected), _): expected == value
        case (.canonicalNaN(.f32), .f32(let bits)): bits & 0x7fff_ffff == 0x7fc0_0000
        case (.canonicalNaN(.f64), .f64(let bits)): bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
        // Arithmetic NaNs: any NaN with the top fraction bit (the quiet bit) set.
        case (.arithmeticNaN(.f32), .f32(let bits)): bits & 0x7fc0_0000 == 0x7fc0_0000
        case (.arithmeticNaN(.f64), .f64(let bits)): bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
        case (.null(nil), .funcref(0)), (.null(nil), .externref(0)): true
        case (.null(.funcref?), .funcref(0)), (.null(.externref?), .externref(0)): true
        case (.externref(let number?), _), (.hostValue(let number), _): value == .extern(number)
        case (.externref(nil), .externref(let address)): address != 0
        case (.funcref, .funcref(let address)): address != 0
        // A reference to a defined type comes back as a funcref (signatures name no kind).
        case (.gcObject, .externref(let address)), (.gcObject, .funcref(let address)): address != 0 && address & 1 == 0
        case (.i31, .externref(let address)), (.i31, .funcref(let address)): address & 1 == 1
        case (.eqReference, .externref(let address)), (.eqReference, .funcref(let address)): address != 0
        case (.either(let choices), _): choices.contains { $0.matches(value) }
        case (.floatLanes(let laneBytes, let bytes, let nanLanes), .v128(let lo, let hi)):
            Self.lanesMatch(laneBytes: laneBytes, bytes: bytes, nanLanes: nanLanes, lo: lo, hi: hi)
        default: false
        }
    }

    static func lanesMatch(laneBytes: Int, bytes: [UInt8], nanLanes: UInt8, lo: UInt64, hi: UInt64) -> Bool {
        let actual = (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? lo >> (8 * $0) : hi >> (8 * ($0 - 8)))) }
        for lane in 0..<(16 / laneBytes) {
            let range = lane * laneBytes..<(lane + 1) * laneBytes
            guard nanLanes & (1 << lane) != 0 else {
                if !actual[range].elementsEqual(bytes[range]) { return false }
                continue
            }
            // The exponent and the quiet bit all set: the top 9 (f32) or 12 (f64) bits but the sign.
            let bits = actual[range].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let quiet: UInt64 = laneBytes == 4 ? 0x7fc0_0000 : 0x7ff8_0000_0000_0000
            if bits & quiet != quiet { return false }
        }
        return true
    }

    var unsupportedReason: String? {
        switch self {
        case .unsupported(let reason): reason
        case .either(let choices): choices.lazy.compactMap(\.unsupportedReason).first
        default: nil
        }
    }

    var description: String {
        switch self {
        case .value(let value): ResultMatching.describe(value)
        case .canonicalNaN(let width): "\(width) nan:canonical"
        case .arithmeticNaN(let width): "\(width) nan:arithmetic"
        case .null(nil): "ref.null"
        case .null(.funcref?): "ref.null func"
        case .null(.externref?): "ref.null extern"
        case .externref(let number?): "ref.extern \(number)"
        case .externref(nil): "ref.extern"
        case .hostValue(let number): "ref.host \(number)"
        case .funcref: "ref.func"
        case .gcObject: "ref.struct or ref.array"
        case .i31: "ref.i31"
        case .eqReference: "ref.eq"
        case .either(let choices): "either(" + choices.map(\.description).joined(separator: ", ") + ")"
        case .floatLanes(let laneBytes, let bytes, let nanLanes):
            "v128 " + (0..<(16 / laneBytes)).map { lane in
                nanLanes & (1 << lane) != 0 ? "nan"
                    : "0x" + bytes[lane * laneBytes..<(lane + 1) * laneBytes].reversed().map { String(format: "%02x", $0) }.joined()
            }.joined(separator: " ")
        case .unsupported(let reason): reason
        }
    }
}
