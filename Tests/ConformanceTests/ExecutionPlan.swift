import CLowering
import Foundation
import Toolchain

/// How the scripts' execution directives run: with what, and in which configurations
/// (bounds-check mode and optimization level).
struct ExecutionPlan: Sendable {
    /// One way of compiling the scripts' modules; every script runs once per configuration.
    struct Configuration: Sendable {
        let boundsChecks: BoundsChecks
        let builder: Builder

        /// `guard -O2`, `explicit -O0`: how failures and the report name it.
        var label: String { "\(boundsChecks.rawValue) \(builder.optimization.flag)" }
    }

    let configurations: [Configuration]
    let runtime: RuntimeLibrary
    /// Limits how many modules build at once across all scripts.
    let gate: Gate
    /// Whether every script also runs with explicit bounds checks, or only `explicitSubset`.
    let explicitForAll: Bool

    /// The levels the spec modules are compiled at: the default level users build with,
    /// where the C compiler folds and reorders most, and -O0, where it does least.
    /// `$CONFORMANCE_LEVELS` (comma-separated digits) picks others.
    static func levels(environment: [String: String] = ProcessInfo.processInfo.environment) -> [OptimizationLevel] {
        guard let text = environment["CONFORMANCE_LEVELS"], !text.isEmpty else { return [OptimizationLevel.default, .o0] }
        return text.split(separator: ",").compactMap { OptimizationLevel(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Every level in both bounds-check modes, compiled warning-free: each spec module
    /// doubles as a -Wall -Wextra check. The runtime is the one users get, at the
    /// default level.
    static func make(levels: [OptimizationLevel], gate: Gate, explicitForAll: Bool) async throws -> ExecutionPlan {
        var base = try await Builder.fromEnvironment()
        base.extraFlags += ["-Wall", "-Wextra", "-Werror"]
        let runtime = try RuntimeLibrary.load(try await base.runtimeLibrary().path)
        var configurations: [Configuration] = []
        for level in levels {
            var builder = base
            builder.optimization = level
            for mode in BoundsChecks.allCases { configurations.append(Configuration(boundsChecks: mode, builder: builder)) }
        }
        return ExecutionPlan(configurations: configurations, runtime: runtime, gate: gate, explicitForAll: explicitForAll)
    }

    /// Scripts that run with explicit bounds checks when not all do: those about memory
    /// accesses, where the two modes differ, plus a few that mix everything.
    static let explicitSubset: Set<String> = [
        "address", "align", "bulk", "endianness", "float_memory", "left-to-right", "load",
        "memory", "memory_copy", "memory_fill", "memory_grow", "memory_init", "memory_redundancy",
        "memory_size", "memory_trap", "store", "traps", "data", "linking", "imports", "call_indirect",
        "i32", "fac",
    ].reduce(into: []) { $0.insert("core/\($1).wast") }

    func configurations(for path: String) -> [Configuration] {
        configurations.filter { $0.boundsChecks == .guardPages || explicitForAll || Self.explicitSubset.contains(path) }
    }
}
