import CLowering
import Toolchain
import WasmValidator

/// What runs a script's compiled modules for the executor: this process
/// (`LocalEngine`), or a runner in another one (`RemoteEngine`: aarch64 code under qemu).
/// Used from one thread.
protocol ScriptEngine: AnyObject, SendableMetatype {
    /// A module built for the engine, as `ModuleBuilds` prepares it.
    associatedtype Module: Sendable
    associatedtype Instance
    /// A function, table, memory, global or tag an import can be given.
    associatedtype Extern

    /// Builds (or finds in the cache) a module's code for this engine.
    static func build(_ module: ValidatedModule, boundsChecks: BoundsChecks, builder: Builder) async throws -> Module

    /// The spectest module's exports, fresh for one script.
    func spectest(boundsChecks: BoundsChecks) throws -> [String: Extern]
    func imports(of module: Module) throws -> [ExternDescriptor]
    func kind(of extern: Extern) -> ExternKind
    func instantiate(_ module: Module, _ imports: [Extern]) throws(InstantiationError) -> Instance
    func export(_ name: String, of instance: Instance) -> Extern?
    /// Calls a function export; nil when there is no such function.
    func call(_ name: String, of instance: Instance, _ arguments: [Value]) -> Result<[Value], CallError>?
    /// A global export's value; nil when there is no such global.
    func global(_ name: String, of instance: Instance) -> Value?
}

/// Runs modules loaded into this process, through libffi.
final class LocalEngine: ScriptEngine {
    let runtime: RuntimeLibrary

    init(runtime: RuntimeLibrary) {
        self.runtime = runtime
    }

    static func build(_ module: ValidatedModule, boundsChecks: BoundsChecks, builder: Builder) async throws -> ModuleLibrary {
        try await ModuleLibrary.load(module, boundsChecks: boundsChecks, builder: builder)
    }

    func spectest(boundsChecks: BoundsChecks) throws -> [String: Toolchain.Extern] {
        try SpecTestHost.exports(runtime: runtime, boundsChecks: boundsChecks)
    }

    func imports(of module: ModuleLibrary) -> [ExternDescriptor] { module.imports }

    func kind(of extern: Toolchain.Extern) -> ExternKind { extern.kind }

    func instantiate(_ module: ModuleLibrary, _ imports: [Toolchain.Extern]) throws(InstantiationError) -> Toolchain.Instance {
        try module.instantiate(imports)
    }

    func export(_ name: String, of instance: Toolchain.Instance) -> Toolchain.Extern? { instance.export(name) }

    func call(_ name: String, of instance: Toolchain.Instance, _ arguments: [Value]) -> Result<[Value], CallError>? {
        guard let function = instance.function(name) else { return nil }
        do {
            return .success(try function.call(arguments))
        } catch {
            return .failure(error)
        }
    }

    func global(_ name: String, of instance: Toolchain.Instance) -> Value? {
        guard case .global(let global)? = instance.export(name) else { return nil }
        return global.value
    }
}
