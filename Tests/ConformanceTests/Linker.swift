import Toolchain

/// Resolves imports by (module, name) against `spectest` and the instances a script
/// registered.
final class Linker {
    private enum Provider {
        case host([String: Extern])
        case instance(Instance)
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

    private var providers: [String: Provider]

    init(spectest: [String: Extern]) {
        providers = ["spectest": .host(spectest)]
    }

    func register(_ name: String, _ instance: Instance) {
        providers[name] = .instance(instance)
    }

    func registerUnavailable(_ name: String, reason: String) {
        providers[name] = .unavailable(reason: reason)
    }

    /// The imports of `library`, in its declaration order.
    func imports(for library: ModuleLibrary) -> Result<[Extern], Failure> {
        var externs: [Extern] = []
        for wanted in library.imports {
            let module = wanted.module ?? ""
            let found: Extern?
            switch providers[module] {
            case .host(let exports): found = exports[wanted.name]
            case .instance(let instance): found = instance.export(wanted.name)
            case .unavailable(let reason): return .failure(.unavailable(reason))
            case nil: found = nil
            }
            guard let found else { return .failure(.unlinkable("unknown import \(wanted)")) }
            // The compiled module checks types and limits; kinds are ours to check.
            guard found.kind == wanted.kind else {
                return .failure(.unlinkable("incompatible import type: \(wanted) is a \(found.kind)"))
            }
            externs.append(found)
        }
        return .success(externs)
    }
}
