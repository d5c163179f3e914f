import WasmDecoder
import WasmValidator

/// How generated code checks memory accesses.
public enum BoundsChecks: String, Sendable, CaseIterable {
    /// Rely on a 4 GiB reservation plus guard pages: an out-of-bounds access faults.
    case guardPages = "guard"
    /// Compare every access against the memory's size.
    case explicit
}

public struct LoweringOptions: Sendable {
    /// The C identifier prefix for everything the module defines (`wk_module_<prefix>`).
    public var prefix: String
    public var boundsChecks: BoundsChecks
    /// At most about this many bytes of C in one translation unit of function bodies.
    public var unitSize: Int
    /// Function bodies are spread over at least this many units of about equal size (if
    /// there is enough code) so that a build keeps every core busy to the end.
    public var minimumUnits: Int
    /// Functions with more bytes of wasm code than this go into units of their own,
    /// `<prefix>-large-N.c`, which a build may compile at another optimization level.
    public var largeFunctionSize: Int?
    /// Whether a call to an import may throw a Wasm exception. Not in a WASI command: its
    /// imports are the runtime's WASI functions, which never throw, so a module without
    /// throws of its own checks for exceptions after no call (see ExceptionLowering).
    public var importsMayThrow: Bool
    /// Relaxed SIMD: one documented result per instruction everywhere (deterministic), or
    /// whatever the host does fastest among the results the proposal allows (native).
    public var relaxedSIMD: RelaxedSIMD = .deterministic
    /// For the freestanding runtime (`wasmkiln-freestanding.h`): the C includes no C
    /// library header, only the compiler's own (`stdint.h`, `stddef.h`, `stdbool.h`,
    /// `stdarg.h`), and sets `WK_FREESTANDING` for the runtime's headers. Needs explicit
    /// bounds checks; see `FreestandingCheck` for the modules it can take.
    public var freestanding = false

    public init(prefix: String, boundsChecks: BoundsChecks = .guardPages, unitSize: Int = 192 * 1024, minimumUnits: Int = 8,
                largeFunctionSize: Int? = nil, importsMayThrow: Bool = true)
    {
        self.prefix = prefix
        self.boundsChecks = boundsChecks
        self.unitSize = unitSize
        self.minimumUnits = minimumUnits
        self.largeFunctionSize = largeFunctionSize
        self.importsMayThrow = importsMayThrow
    }
}

public enum RelaxedSIMD: String, Sendable, CaseIterable {
    case deterministic, native
}

/// Which translation units a function's body goes into, by what compiling it is worth:
/// `<prefix>-<kind>-N.c`.
public enum UnitKind: String, Sendable, CaseIterable {
    case functions = "funcs"
    /// Past `LoweringOptions.largeFunctionSize`.
    case large

    /// The kind of a generated unit, from its file name.
    public init(unitName name: String) {
        self = Self.allCases.first { $0 != .functions && name.contains("-\($0.rawValue)-") } ?? .functions
    }
}

/// A generated file: C source (`.c`, compiled) or header (`.h`).
public struct GeneratedFile: Sendable {
    public var name: String
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

public enum CLowering {
    /// Flags the generated C needs from any compiler, whatever else the user passes:
    /// exact IEEE semantics (no contraction into FMA, signaling NaNs honoured).
    public static let requiredCFlags = ["-std=gnu11", "-ffp-contract=off", "-fno-fast-math", "-fstack-clash-protection"]

    /// Whether the module has DWARF line tables: its C then carries `#line` directives into
    /// the original source, and is worth compiling with `-g`.
    public static func hasSourceLines(_ module: Module) -> Bool {
        module.customSections.contains { $0.name == ".debug_line" }
    }

    /// Lowers a validated module to C. The files include `wasmkiln.h` and
    /// `wasmkiln-gen.h` from `Runtime/include`; the module's entry point is
    /// `const wk_module wk_module_<prefix>`, declared in `<prefix>.h`.
    public static func lower(_ module: ValidatedModule, options: LoweringOptions) throws(LoweringError) -> [GeneratedFile] {
        try ModuleLowering(module: module, options: options).files()
    }
}
