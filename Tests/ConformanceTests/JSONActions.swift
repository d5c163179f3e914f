import Toolchain

/// An action as wast2json writes it.
struct JSONAction: Decodable {
    var type: String
    var module: String?
    var field: String
    var args: [JSONValue]?
}

/// A value as wast2json writes it: its type, and its bits in decimal (floats too),
/// `null`, or `nan:canonical` / `nan:arithmetic`. A v128 has a lane type and a value per lane.
struct JSONValue: Decodable, CustomStringConvertible {
    var type: String
    var value: String?
    var laneType: String?
    var lanes: [String]?

    private enum Keys: String, CodingKey { case type, value, lane_type }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        type = try container.decode(String.self, forKey: .type)
        value = try? container.decodeIfPresent(String.self, forKey: .value)
        lanes = try? container.decodeIfPresent([String].self, forKey: .value)
        laneType = try container.decodeIfPresent(String.self, forKey: .lane_type)
    }

    var description: String { "\(type) \(laneType ?? "")\(value ?? lanes?.joined(separator: " ") ?? "")" }

    /// A v128's lanes as little-endian bytes, with a bit per float lane that holds a NaN pattern.
    var vectorBytes: (bytes: [UInt8], nanLanes: UInt8, laneBytes: Int)? {
        guard type == "v128", let lanes, let laneType else { return nil }
        let laneBytes = ["i8": 1, "i16": 2, "i32": 4, "i64": 8, "f32": 4, "f64": 8][laneType] ?? 0
        guard laneBytes > 0, lanes.count * laneBytes == 16 else { return nil }
        var bytes: [UInt8] = [], nanLanes: UInt8 = 0
        for (k, lane) in lanes.enumerated() {
            var bits: UInt64 = 0
            if lane.hasPrefix("nan:") { nanLanes |= 1 << k } else {
                guard let value = UInt64(lane) else { return nil }
                bits = value
            }
            bytes += (0..<laneBytes).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
        }
        return (bytes, nanLanes, laneBytes)
    }
}

/// Turns wast2json's actions and values into ours.
enum JSONActions {
    static func execution(_ command: Wast2JSONScript.JSONScript.Command) -> Execution {
        guard let json = command.action else { return .unsupported("\(command.type) without an action") }
        let action: Action
        switch json.type {
        case "invoke":
            var arguments: [Value] = []
            for argument in json.args ?? [] {
                guard let value = value(argument) else { return .unsupported("argument \(argument.type): not supported") }
                arguments.append(value)
            }
            action = Action(module: json.module, name: json.field, kind: .invoke(arguments))
        case "get":
            action = Action(module: json.module, name: json.field, kind: .get)
        default:
            return .unsupported("action \(json.type): not supported")
        }
        let message = command.text ?? ""
        switch command.type {
        case "assert_return": return .assertReturn(action, (command.expected ?? []).map(expected))
        case "assert_trap": return .assertTrap(action, message: message)
        case "assert_exhaustion": return .assertExhaustion(action, message: message)
        // An exception that leaves the call ends it as a trap of its own kind.
        case "assert_exception": return .assertTrap(action, message: SpecExpectations.uncaughtException)
        default: return .perform(action)
        }
    }

    static func value(_ json: JSONValue) -> Value? {
        if let vector = json.vectorBytes, vector.nanLanes == 0 { return WATActions.v128(vector.bytes) }
        guard let text = json.value else { return nil }
        switch json.type {
        case "i32": return UInt32(text).map { .i32($0) }
        case "i64": return UInt64(text).map { .i64($0) }
        case "f32": return UInt32(text).map { .f32(bits: $0) }
        case "f64": return UInt64(text).map { .f64(bits: $0) }
        case "funcref" where text == "null": return .funcref(0)
        case "externref": return text == "null" ? .externref(0) : UInt32(text).map { .extern($0) }
        default: return nil
        }
    }

    static func expected(_ json: JSONValue) -> Expected {
        if let vector = json.vectorBytes, vector.nanLanes != 0 {
            return .floatLanes(laneBytes: vector.laneBytes, bytes: vector.bytes, nanLanes: vector.nanLanes)
        }
        switch (json.type, json.value) {
        case ("f32", "nan:canonical"): return .canonicalNaN(.f32)
        case ("f32", "nan:arithmetic"): return .arithmeticNaN(.f32)
        case ("f64", "nan:canonical"): return .canonicalNaN(.f64)
        case ("f64", "nan:arithmetic"): return .arithmeticNaN(.f64)
        case ("funcref", "null"): return .null(.funcref)
        // `(ref.func)`: a function reference, not null; wast2json may add an index.
        case ("funcref", nil): return .funcref
        case ("funcref", let text?) where text != "null": return .funcref
        case ("externref", "null"): return .null(.externref)
        // The other hierarchies' nulls (GC's, exceptions'): the host sees a null pointer.
        case (let type, "null") where type.hasSuffix("ref"): return .null(nil)
        case ("structref", nil), ("arrayref", nil): return .gcObject
        case ("i31ref", nil): return .i31
        case ("eqref", nil), ("anyref", nil): return .eqReference
        case ("externref", nil): return .externref(nil)
        case ("externref", let text?): return UInt32(text).map { .externref($0) } ?? .unsupported("expected \(json): not supported")
        default: return value(json).map { .value($0) } ?? .unsupported("expected \(json): not supported")
        }
    }
}
