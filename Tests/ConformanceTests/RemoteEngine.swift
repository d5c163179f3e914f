import CLowering
import Foundation
import Toolchain
import WasmDecoder
import WasmValidator

#if canImport(Glibc)
import Glibc
#endif

/// Runs modules built for another machine: a spec runner (`C/spec-runner.c`) built for
/// it and started under an emulator (qemu-user) loads, instantiates and calls them as
/// this engine asks, one request line down its stdin, one answer line back. Objects are
/// the runner's addresses, kept as hex text.
final class RemoteEngine: ScriptEngine {
    /// A module library built for the runner's machine.
    struct Module: Sendable {
        let library: String
        let prefix: String
    }

    struct Extern {
        let kind: ExternKind
        let address: String
    }

    struct Instance {
        let module: LoadedModule
        let address: String
    }

    /// A module the runner has loaded: its `wk_module` and what it declares.
    struct LoadedModule {
        let address: String
        let imports: [ExternDescriptor]
        let exports: [ExternDescriptor]
    }

    /// Why the runner could not do what was asked (it died, or answered "error").
    struct RunnerError: Error, CustomStringConvertible {
        let description: String
    }

    private let toolkit: RemoteToolkit
    private let process = Process()
    private let requests: FileHandle
    private let answers: LineReader
    private var loaded: [String: LoadedModule] = [:]
    /// Signatures whose call stub the runner has loaded.
    private var stubs: Set<String> = []

    init(toolkit: RemoteToolkit) throws {
        self.toolkit = toolkit
        // A runner that died must give a write error, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        let input = Pipe(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = toolkit.launcher + [toolkit.runner.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        requests = input.fileHandleForWriting
        answers = LineReader(output.fileHandleForReading.fileDescriptor)
    }

    deinit {
        // End of input ends the runner.
        try? requests.close()
        process.waitUntilExit()
    }

    static func build(_ module: ValidatedModule, boundsChecks: BoundsChecks, builder: Builder) async throws -> Module {
        let options = LoweringOptions(prefix: Builder.prefix(for: module), boundsChecks: boundsChecks)
        let built = try await builder.moduleLibrary(module, options: options)
        return Module(library: built.library.path, prefix: built.prefix)
    }

    func spectest(boundsChecks: BoundsChecks) throws -> [String: Extern] {
        let count = try Int(request("spectest \(boundsChecks == .explicit ? 1 : 0)").first ?? "") ?? 0
        var exports: [String: Extern] = [:]
        for _ in 0..<count {
            let words = try answers.line().split(separator: " ")
            guard words.count == 3, let kind = ExternKind(code: words[1]) else { throw RunnerError(description: "bad spectest export") }
            exports[Self.text(fromHex: words[0])] = Extern(kind: kind, address: String(words[2]))
        }
        return exports
    }

    func imports(of module: Module) throws -> [ExternDescriptor] {
        try load(module).imports
    }

    func kind(of extern: Extern) -> ExternKind { extern.kind }

    func instantiate(_ module: Module, _ imports: [Extern]) throws(InstantiationError) -> Instance {
        do {
            let loaded = try load(module)
            let given = imports.map { " \($0.kind.rawValue):\($0.address)" }.joined()
            let answer = try exchange("instantiate \(loaded.address)\(given)")
            switch answer.verdict {
            case "ok": return Instance(module: loaded, address: String(answer.words.first ?? ""))
            case "trap": throw InstantiationError(answer.message, trap: answer.trap)
            default: throw InstantiationError(answer.message)
            }
        } catch let error as InstantiationError {
            throw error
        } catch {
            throw InstantiationError("\(error)")
        }
    }

    func export(_ name: String, of instance: Instance) -> Extern? {
        guard let answer = try? exchange("export \(instance.module.address) \(instance.address) \(Self.hex(name))"),
              answer.verdict == "ok", answer.words.count == 2, let kind = ExternKind(code: answer.words[0])
        else { return nil }
        return Extern(kind: kind, address: String(answer.words[1]))
    }

    func call(_ name: String, of instance: Instance, _ arguments: [Value]) -> Result<[Value], CallError>? {
        // Compared as bytes: Swift's String equality merges canonically equivalent names.
        guard let declared = instance.module.exports.first(where: { $0.kind == .function && $0.name.utf8.elementsEqual(name.utf8) }),
              let signature = declared.signature, let type = declared.functionType,
              let function = export(name, of: instance)
        else { return nil }
        guard arguments.map(\.type) == type.params else {
            return .failure(.invalidArguments("expects (\(type.params.map { "\($0)" }.joined(separator: " "))), got \(arguments)"))
        }
        do {
            try loadStub(signature)
            let answer = try exchange("call \(function.address) \(signature)" + arguments.map { " " + Self.encode($0) }.joined())
            switch answer.verdict {
            case "ok":
                let values = answer.words.compactMap(Self.decode)
                guard values.count == type.results.count else { throw RunnerError(description: "bad results \(answer.words)") }
                return .success(values)
            case "trap": return .failure(.trap(answer.trap))
            default: throw RunnerError(description: answer.message)
            }
        } catch {
            return .failure(.invalidArguments("spec runner: \(error)"))
        }
    }

    func global(_ name: String, of instance: Instance) -> Value? {
        guard let global = export(name, of: instance), global.kind == .global,
              let answer = try? exchange("global \(global.address)"), answer.verdict == "ok"
        else { return nil }
        return answer.words.first.flatMap(Self.decode)
    }

    // MARK: Requests

    /// An answer line: its first word, then the others; a trap or an error has its
    /// message (and a trap its code) in them.
    private struct Answer {
        var verdict: Substring
        var words: [Substring]

        var message: String { words.last.map(RemoteEngine.text(fromHex:)) ?? "" }
        var trap: Trap { Trap(rawCode: words.first.flatMap { UInt32($0) } ?? 0, message: message) }
    }

    private func exchange(_ line: String) throws -> Answer {
        try requests.write(contentsOf: Data((line + "\n").utf8))
        let words = try answers.line().split(separator: " ")
        guard let verdict = words.first else { throw RunnerError(description: "empty answer to \(line.prefix(60))") }
        return Answer(verdict: verdict, words: Array(words.dropFirst()))
    }

    /// The words after "ok", or the runner's error.
    private func request(_ line: String) throws -> [Substring] {
        let answer = try exchange(line)
        guard answer.verdict == "ok" else { throw RunnerError(description: "\(line.prefix(60)): \(answer.message)") }
        return answer.words
    }

    private func load(_ module: Module) throws -> LoadedModule {
        if let known = loaded[module.library] { return known }
        let words = try request("load \(module.library) \(module.prefix)")
        guard words.count == 3, let imports = Int(words[1]), let exports = Int(words[2]) else {
            throw RunnerError(description: "bad answer to load")
        }
        func descriptor(import: Bool) throws -> ExternDescriptor {
            let fields = try answers.line().split(separator: " ")
            guard fields.count == (`import` ? 4 : 3), let kind = ExternKind(code: fields[0]) else {
                throw RunnerError(description: "bad descriptor")
            }
            let signature = fields.last == "-" ? nil : fields.last.map(String.init)
            return ExternDescriptor(module: `import` ? Self.text(fromHex: fields[1]) : nil,
                                    name: Self.text(fromHex: fields[`import` ? 2 : 1]), kind: kind, signature: signature)
        }
        let result = LoadedModule(address: String(words[0]),
                                  imports: try (0..<imports).map { _ in try descriptor(import: true) },
                                  exports: try (0..<exports).map { _ in try descriptor(import: false) })
        loaded[module.library] = result
        return result
    }

    private func loadStub(_ signature: String) throws {
        guard !stubs.contains(signature) else { return }
        _ = try request("stubs \(try toolkit.stub(signature).path)")
        stubs.insert(signature)
    }

    // MARK: Encoding

    static func hex(_ text: String) -> String {
        text.utf8.isEmpty ? "-" : text.utf8.map { String(format: "%02x", $0) }.joined()
    }

    static func text(fromHex hex: Substring) -> String {
        guard hex != "-" else { return "" }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ value: Value) -> String {
        switch value {
        case .i32(let bits): "i" + String(bits, radix: 16)
        case .i64(let bits): "I" + String(bits, radix: 16)
        case .f32(let bits): "f" + String(bits, radix: 16)
        case .f64(let bits): "F" + String(bits, radix: 16)
        case .v128(let lo, let hi): "v" + String(format: "%016llx%016llx", lo, hi)
        case .funcref(let address): "r" + String(address, radix: 16)
        case .externref(let host): "e" + String(host, radix: 16)
        }
    }

    static func decode(_ word: Substring) -> Value? {
        guard let letter = word.first else { return nil }
        let bits = word.dropFirst()
        switch letter {
        case "i": return UInt32(bits, radix: 16).map { .i32($0) }
        case "I": return UInt64(bits, radix: 16).map { .i64($0) }
        case "f": return UInt32(bits, radix: 16).map { .f32(bits: $0) }
        case "F": return UInt64(bits, radix: 16).map { .f64(bits: $0) }
        case "v":
            guard bits.count == 32, let lo = UInt64(bits.prefix(16), radix: 16), let hi = UInt64(bits.suffix(16), radix: 16) else { return nil }
            return .v128(lo: lo, hi: hi)
        case "r": return UInt(bits, radix: 16).map { .funcref($0) }
        case "e": return UInt(bits, radix: 16).map { .externref($0) }
        default: return nil
        }
    }
}

extension ExternKind {
    /// From the runner's decimal `wk_extern_kind`.
    init?(code: Substring) {
        guard let byte = UInt8(code) else { return nil }
        self.init(rawValue: byte)
    }
}

/// Reads a pipe line by line.
final class LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    func line() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw RemoteEngine.RunnerError(description: "the spec runner exited (it may have crashed)") }
            buffer += chunk[..<count]
        }
    }
}
