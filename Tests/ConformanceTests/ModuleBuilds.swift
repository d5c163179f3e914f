import CLowering
import Toolchain
import WasmValidator

/// A script's module compiled and loaded, or why it could not be.
enum PreparedModule<Module: Sendable>: Sendable {
    case library(Module)
    /// The lowering does not support something the module uses: its directives are skipped.
    case notLowered(reason: String)
    /// Invalid, or the generated C did not compile: a failure.
    case broken(String)
}

/// Compiles the modules of a script before it runs, concurrently, at most as many at
/// a time as the gate lets through across all scripts.
enum ModuleBuilds {
    static func prepare<Engine: ScriptEngine>(_ commands: [ScriptCommand], for engine: Engine.Type, boundsChecks: BoundsChecks,
                                              builder: Builder, gate: Gate) async -> [[UInt8]: PreparedModule<Engine.Module>]
    {
        var modules: Set<[UInt8]> = []
        for command in commands {
            switch command.execution {
            case .instantiate(let bytes, _), .define(let bytes, _), .assertUninstantiable(let bytes, _), .assertUnlinkable(let bytes, _):
                modules.insert(bytes)
            default: break
            }
        }
        return await withTaskGroup(of: ([UInt8], PreparedModule<Engine.Module>).self) { group in
            for bytes in modules {
                group.addTask {
                    (bytes, await gate.run { await prepare(bytes, for: engine, boundsChecks: boundsChecks, builder: builder) })
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    static func prepare<Engine: ScriptEngine>(_ bytes: [UInt8], for engine: Engine.Type, boundsChecks: BoundsChecks,
                                              builder: Builder) async -> PreparedModule<Engine.Module>
    {
        let module: ValidatedModule
        do {
            module = try decodeAndValidate(bytes, parallel: false)
        } catch where error.isUnsupported {
            return .notLowered(reason: "not read: \(error.message)")
        } catch {
            return .broken("invalid module: \(error.message)")
        }
        do {
            return .library(try await Engine.build(module, boundsChecks: boundsChecks, builder: builder))
        } catch {
            // Builder.lower wraps a LoweringError in this text; group skips by feature,
            // not by the function that used it.
            let text = "\(error)"
            let marker = "cannot compile the module to C: "
            guard text.hasPrefix(marker) else { return .broken(text) }
            var reason = Substring(text.dropFirst(marker.count))
            for location in ["offset ", "func "] where reason.hasPrefix(location) {
                if let colon = reason.firstIndex(of: ":") { reason = reason[reason.index(after: colon)...].drop { $0 == " " } }
            }
            return .notLowered(reason: "not lowered: \(reason)")
        }
    }
}

/// Lets at most `limit` bodies run at once, in the order they arrived.
actor Gate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        free = max(1, limit)
    }

    nonisolated func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await enter()
        let result = await body()
        await leave()
        return result
    }

    private func enter() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
