import Toolchain

/// Resolves imports by (module, name) against `spectest` and the instances a script
/// registered.
final class Linker<Engine: ScriptEngine> {
    private enum Provider {
        case host([String: Engine.Extern])
        case instance(Engine.Instance)
        /// Registered from a module we could not instantiate: importers are skipped too.
        case unavailable(reason: String)
    }

    /// Why a module's imports cannot be given.
    enum Failure: Error {
        /// Unlinkable, with the spec's wording first: "unknown import …", "incompatible import type …".
        case unlinkable(String)
        /// An import comes from a module that is unavailable; skip with this reason.
        case unavailable(String)
    }

    private let engine: Engine
    private var providers: [String: Provider]

    init(engine: Engine, spectest: [String: Engine.Extern]) {
        self.engine = engine
        providers = ["spectest": .host(spectest)]
    }

    func register(_ name: String, _ instance: Engine.Instance) {
        providers[name] = .instance(instance)
    }

    func registerUnavailable(_ name: String, reason: String) {
        providers[name] = .unavailable(reason: reason)
    }

    /// The imports of a module, in its declaration order.
    func imports(_ wanted: [ExternDescriptor]) -> Result<[Engine.Extern], Failure> {
        var externs: [Engine.Extern] = []
        for wanted in wanted {
            let module = wanted.module ?? ""
            let found: Engine.Extern?
            switch providers[module] {
            case .host(let exports): found = exports[wanted.name]
            case .instance(let instance): found = engine.export(wanted.name, of: instance)
            case .unavailable(let reason): return .failure(.unavailable(reason))
            case nil: found = nil
            }
            guard let found else { return .failure(.unlinkable("unknown import \(wanted)")) }
            // The compiled module checks types and limits; kinds are ours to check.
            let kind = engine.kind(of: found)
            guard kind == wanted.kind else {
                return .failure(.unlinkable("incompatible import type: \(wanted) is a \(kind)"))
            }
            externs.append(found)
        }
        return .success(externs)
    }
}
