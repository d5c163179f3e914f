import Toolchain

/// Runs a script's execution directives in order against compiled modules, in one
/// bounds-check mode. Lives on one thread: instances are not for concurrent use. Its
/// instances are freed when it is.
final class ScriptExecutor<Engine: ScriptEngine> {
    /// What an action or module name refers to.
    private enum Target {
        case instance(Engine.Instance)
        /// Not instantiated; directives using it are skipped for this reason.
        case unavailable(String)
    }

    /// Why instantiating did not give an instance.
    fileprivate enum Problem: Error {
        case skip(String)
        case unlinkable(String)
        /// Instantiation failed after linking: a trap (start function, segments) or the like.
        case uninstantiable(String)
        /// The module could not be built.
        case broken(String)
    }

    /// Why an action gave no results.
    fileprivate enum ActionProblem: Error {
        case skip(String)
        case trap(Trap)
        case error(String)
    }

    static var failedDependency: String { "depends on a module that failed to build or instantiate" }

    private let engine: Engine
    private let modules: [[UInt8]: PreparedModule<Engine.Module>]
    private let linker: Linker<Engine>
    /// Appended to failures' directive names, to tell the modes apart.
    private let label: String
    private var latest: Target?
    private var named: [String: Target] = [:]
    /// `module definition`s, by name, and the latest one.
    private var definitions: [String: [UInt8]] = [:]
    private var latestDefinition: [UInt8]?
    /// Every instance made, kept to the end of the script: one no longer named or latest
    /// may still have its functions in another instance's table.
    private var instances: [Engine.Instance] = []
    private(set) var result: FileResult

    init(path: String, engine: Engine, modules: [[UInt8]: PreparedModule<Engine.Module>], spectest: [String: Engine.Extern],
         label: String)
    {
        self.engine = engine
        self.modules = modules
        self.linker = Linker(engine: engine, spectest: spectest)
        self.label = label
        result = FileResult(path: path)
    }

    func run(_ commands: [ScriptCommand]) {
        for command in commands {
            if let execution = command.execution { run(execution, command) }
        }
    }

    private func run(_ execution: Execution, _ command: ScriptCommand) {
        switch execution {
        case .define(let bytes, let name):
            latestDefinition = bytes
            if let name { definitions[name] = bytes }
            result.pass()

        case .instantiateDefinition(let definition, let name):
            guard let bytes = definition == nil ? latestDefinition : definitions[definition!] else {
                return fail(command, "no module definition named \(definition ?? "(latest)")")
            }
            run(.instantiate(bytes, name: name), command)

        case .instantiate(let bytes, let name):
            let target: Target
            switch instantiate(bytes) {
            case .success(let instance):
                result.pass()
                target = .instance(instance)
            case .failure(.skip(let reason)):
                result.skip(reason)
                target = .unavailable(reason)
            case .failure(let problem):
                fail(command, "module did not instantiate: \(problem)")
                target = .unavailable(Self.failedDependency)
            }
            latest = target
            if let name { named[name] = target }

        case .register(let name, let instanceName):
            switch lookUp(instanceName) {
            case .success(let instance):
                linker.register(name, instance)
                result.pass()
            case .failure(.skip(let reason)):
                linker.registerUnavailable(name, reason: reason)
                result.skip(reason)
            case .failure(let problem):
                fail(command, "\(problem)")
            }

        case .perform(let action):
            switch perform(action) {
            case .success: result.pass()
            case .failure(let problem): unexpected(problem, command, expected: "no trap")
            }

        case .assertReturn(let action, let expected):
            if let reason = expected.lazy.compactMap(\.unsupportedReason).first {
                result.skip(reason)
                return
            }
            switch perform(action) {
            case .success(let values):
                if let mismatch = ResultMatching.mismatch(values, expected) {
                    fail(command, mismatch)
                } else {
                    result.pass()
                }
            case .failure(let problem):
                unexpected(problem, command, expected: expected.map(\.description).joined(separator: ", "))
            }

        case .assertTrap(let action, let message), .assertExhaustion(let action, let message):
            switch perform(action) {
            case .success(let values):
                fail(command, "returned (\(values.map(ResultMatching.describe).joined(separator: ", "))); expected trap \"\(message)\"")
            case .failure(.trap(let trap)) where matches(trap.message, message, command):
                result.pass()
            case .failure(let problem):
                unexpected(problem, command, expected: "trap \"\(message)\"")
            }

        case .assertUninstantiable(let bytes, let message):
            switch instantiate(bytes) {
            case .success:
                fail(command, "module instantiated; expected trap \"\(message)\"")
            case .failure(.uninstantiable(let got)) where matches(got, message, command):
                result.pass()
            case .failure(.skip(let reason)):
                result.skip(reason)
            case .failure(let problem):
                fail(command, "expected trap \"\(message)\", got \(problem)")
            }

        case .assertUnlinkable(let bytes, let message):
            switch instantiate(bytes) {
            case .success:
                fail(command, "module linked; expected \"\(message)\"")
            case .failure(.unlinkable(let got)) where got.contains(message):
                result.pass()
            case .failure(.skip(let reason)):
                result.skip(reason)
            case .failure(let problem):
                fail(command, "expected unlinkable \"\(message)\", got \(problem)")
            }

        case .unsupported(let reason):
            result.skip(reason)
        }
    }

    /// A new instance of the module, its imports resolved by the linker.
    private func instantiate(_ bytes: [UInt8]) -> Result<Engine.Instance, Problem> {
        let module: Engine.Module
        switch modules[bytes] {
        case .library(let loaded)?: module = loaded
        case .notLowered(let reason)?: return .failure(.skip(reason))
        case .broken(let message)?: return .failure(.broken(message))
        case nil: return .failure(.broken("module was not prepared"))
        }
        let wanted: [ExternDescriptor]
        do {
            wanted = try engine.imports(of: module)
        } catch {
            return .failure(.broken("\(error)"))
        }
        let imports: [Engine.Extern]
        switch linker.imports(wanted) {
        case .success(let externs): imports = externs
        case .failure(.unavailable(let reason)): return .failure(.skip(reason))
        case .failure(.unlinkable(let message)): return .failure(.unlinkable(message))
        }
        do {
            let instance = try engine.instantiate(module, imports)
            instances.append(instance)
            return .success(instance)
        } catch {
            // The compiled module checks import types and limits itself.
            if error.trap == nil, error.description.contains("incompatible import type") {
                return .failure(.unlinkable(error.description))
            }
            return .failure(.uninstantiable(error.description))
        }
    }

    /// The instance named `name`, or the latest one.
    private func lookUp(_ name: String?) -> Result<Engine.Instance, ActionProblem> {
        let target: Target?
        if let name {
            target = named[name]
            if target == nil { return .failure(.error("no module named \(name)")) }
        } else {
            target = latest
            if target == nil { return .failure(.error("no module instantiated yet")) }
        }
        switch target! {
        case .instance(let instance): return .success(instance)
        case .unavailable(let reason): return .failure(.skip(reason))
        }
    }

    private func perform(_ action: Action) -> Result<[Value], ActionProblem> {
        let instance: Engine.Instance
        switch lookUp(action.module) {
        case .success(let found): instance = found
        case .failure(let problem): return .failure(problem)
        }
        switch action.kind {
        case .invoke(let arguments):
            switch engine.call(action.name, of: instance, arguments) {
            case .success(let values)?: return .success(values)
            case .failure(.trap(let trap))?: return .failure(.trap(trap))
            case .failure(let error)?: return .failure(.error("\"\(action.name.printable)\": \(error)"))
            case nil: return .failure(.error("no function export \"\(action.name.printable)\""))
            }
        case .get:
            guard let value = engine.global(action.name, of: instance) else {
                return .failure(.error("no global export \"\(action.name.printable)\""))
            }
            return .success([value])
        }
    }

    /// Whether a trap's text is the one expected: it contains it, or is the start of it,
    /// since the reference interpreter adds details (`uninitialized element 2`); the
    /// latter is listed as a wording difference.
    private func matches(_ got: String, _ expected: String, _ command: ScriptCommand) -> Bool {
        if got.contains(expected) { return true }
        guard !got.isEmpty, expected.hasPrefix(got) else { return false }
        result.wordingMismatches.append(FileResult.WordingMismatch(line: command.line, expected: expected, got: got))
        return true
    }

    /// Records an action's problem where something else was expected.
    private func unexpected(_ problem: ActionProblem, _ command: ScriptCommand, expected: String) {
        switch problem {
        case .skip(let reason): result.skip(reason)
        case .trap(let trap): fail(command, "trapped \"\(trap.message)\"; expected \(expected)")
        case .error(let message): fail(command, message)
        }
    }

    private func fail(_ command: ScriptCommand, _ error: String) {
        result.fail(line: command.line, kind: command.kind + label, error: error)
    }
}

extension ScriptExecutor.Problem: CustomStringConvertible {
    var description: String {
        switch self {
        case .skip(let reason): "skipped: \(reason)"
        case .unlinkable(let message): "unlinkable: \(message)"
        case .uninstantiable(let message): "instantiation failed: \(message)"
        case .broken(let message): "build failed: \(message)"
        }
    }
}

extension ScriptExecutor.ActionProblem: CustomStringConvertible {
    var description: String {
        switch self {
        case .skip(let reason): "skipped: \(reason)"
        case .trap(let trap): "trap: \(trap.message)"
        case .error(let message): message
        }
    }
}
