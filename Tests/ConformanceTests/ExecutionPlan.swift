import CLowering
import Toolchain

/// How the scripts' execution directives run: with what, and in which bounds-check modes.
struct ExecutionPlan: Sendable {
    let builder: Builder
    let runtime: RuntimeLibrary
    /// Limits how many modules build at once across all scripts.
    let gate: Gate
    /// Whether every script also runs with explicit bounds checks, or only `explicitSubset`.
    let explicitForAll: Bool

    /// Scripts that run with explicit bounds checks when not all do: those about memory
    /// accesses, where the two modes differ, plus a few that mix everything.
    static let explicitSubset: Set<String> = [
        "address", "align", "bulk", "endianness", "float_memory", "left-to-right", "load",
        "memory", "memory_copy", "memory_fill", "memory_grow", "memory_init", "memory_redundancy",
        "memory_size", "memory_trap", "store", "traps", "data", "linking", "imports", "call_indirect",
        "i32", "fac",
    ].reduce(into: []) { $0.insert("core/\($1).wast") }

    /// Why a script's execution directives are all skipped, if they are.
    static func skipReason(for path: String) -> String? {
        if path.hasPrefix("core/simd_") { return SkipReason.simd }
        if path.hasPrefix("proposals/exception-handling/") { return SkipReason.exceptionHandling }
        return nil
    }

    func modes(for path: String) -> [BoundsChecks] {
        explicitForAll || Self.explicitSubset.contains(path) ? [.guardPages, .explicit] : [.guardPages]
    }
}
