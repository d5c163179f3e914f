import Toolchain

/// What a directive asks of compiled code. Both script readers produce these, so the
/// executor does not care which one read the script.
enum Execution: Sendable {
    /// `module`: instantiate it. A named one can be addressed later by `name`; the
    /// latest is the target of actions without a module name.
    case instantiate([UInt8], name: String?)
    /// `module definition`: compile it; `module instance` instantiates it, as often as it says.
    case define([UInt8], name: String?)
    /// `module instance`: instantiate the definition `definition` (the latest if nil) as `name`.
    case instantiateDefinition(definition: String?, name: String?)
    /// `register`: the exports of `instance` (the latest if nil) become importable
    /// from the module name `as`.
    case register(as: String, instance: String?)
    /// A bare `invoke` or `get`: it must not trap.
    case perform(Action)
    case assertReturn(Action, [Expected])
    /// The action must trap with a message containing `message`.
    case assertTrap(Action, message: String)
    case assertExhaustion(Action, message: String)
    /// `assert_trap` or `assert_uninstantiable` on a module: instantiation must trap.
    case assertUninstantiable([UInt8], message: String)
    /// Import resolution must fail.
    case assertUnlinkable([UInt8], message: String)
    /// A directive we cannot run, and why (it is counted as skipped).
    case unsupported(String)
}

/// `invoke` or `get`, on the instance named `module` or the latest one.
struct Action: Sendable {
    enum Kind: Sendable {
        case invoke([Value])
        case get
    }

    var module: String?
    var name: String
    var kind: Kind
}

/// One expected result of `assert_return`.
enum Expected: Sendable {
    enum Float: Sendable { case f32, f64 }
    enum Reference: Sendable { case funcref, externref }

    /// Exactly this value; floats compare by bits.
    case value(Value)
    case canonicalNaN(Float)
    case arithmeticNaN(Float)
    /// A null reference (of either type when nil).
    case null(Reference?)
    /// `ref.extern N`, or any non-null externref when nil.
    case externref(UInt32?)
    /// Any non-null funcref: the script's function indices mean nothing to us.
    case funcref
    /// Any one of these (relaxed SIMD).
    case either([Expected])
    /// A v128 of float lanes of `laneBytes` each: lanes whose bit is set in `nanLanes`
    /// hold an arithmetic NaN (which a canonical one also is), the others these bytes.
    case floatLanes(laneBytes: Int, bytes: [UInt8], nanLanes: UInt8)
    /// GC: a struct or an array (`ref.struct`, `ref.array`), an i31 (`ref.i31`), either
    /// (`ref.eq`). Told apart by the pointer alone, as the objects may live in another
    /// process (the aarch64 runner): an i31 is odd, an object's address even.
    case gcObject
    case i31
    case eqReference
    /// `ref.host N`: a host value in GC's hierarchy, which a call returns as the
    /// externref it was boxed from.
    case hostValue(UInt32)
    /// A form we cannot check, named.
    case unsupported(String)
}

extension Value {
    /// The script's `ref.extern N`: host values are N + 1, because 0 is null.
    static func extern(_ number: UInt32) -> Value {
        .externref(UInt(number) + 1)
    }
}
