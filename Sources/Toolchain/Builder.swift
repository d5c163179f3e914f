import CLowering
import Foundation
import Synchronization
import WasmDecoder

/// Compiles C translation units in parallel into cached objects and links them.
public struct Builder: Sendable {
    public var compiler: CCompiler
    public var cache: BuildCache
    public var optimization: OptimizationLevel
    /// Added after our own flags (`$CFLAGS`).
    public var extraFlags: [String]
    /// How many compilers run at once.
    public var jobs: Int
    /// Functions of more than `size` bytes of wasm code are compiled at `level` instead
    /// of `optimization` (in units of their own, see `LoweringOptions.largeFunctionSize`).
    public var largeFunctions: (size: Int, level: OptimizationLevel)?
    /// Told after each unit of a `compile` is done (compiled or found in the cache).
    public var progress: (@Sendable (CompileProgress) -> Void)?
    /// Sees every compiler, linker and archiver command line before it runs (`--verbose`).
    public var commandLog: (@Sendable (String) -> Void)?
    /// Compile with `-g` (before `$CFLAGS`, which may take it back): set for a module whose
    /// C has `#line` directives into its original source (`forModule`). Otherwise units get
    /// line tables (`lineTableFlags`).
    public var debugInfo = false

    /// Line tables only: a fault in a guard page is then named by its wasm instruction
    /// (the native row of the faulting code, through the C's `#line` directives: see
    /// wk_fault_site), for about 2% more compile time; executables grow (debug sections,
    /// never loaded; `strip` takes them out) and `$CFLAGS=-g0` takes them back.
    public static let lineTableFlags = ["-g1", "-gno-column-info"]

    public init(compiler: CCompiler, cache: BuildCache, optimization: OptimizationLevel = .default,
                extraFlags: [String] = [], jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
    {
        self.compiler = compiler
        self.cache = cache
        self.optimization = optimization
        self.extraFlags = extraFlags
        self.jobs = max(1, jobs)
    }

    /// `$CC`, `$CFLAGS` and the cache folder from the environment.
    public static func fromEnvironment(
        optimization: OptimizationLevel = .default, jobs: Int? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ToolchainError) -> Builder {
        Builder(compiler: try await CCompiler.find(environment: environment),
                cache: BuildCache(root: BuildCache.defaultRoot(environment: environment)),
                optimization: optimization,
                extraFlags: CCompiler.splitFlags(environment["CFLAGS"] ?? ""),
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The flags every unit is compiled with. The required ones come last: compilers take
    /// the last of conflicting flags, so `$CFLAGS` may add or change `-O` but cannot undo
    /// the exact floating-point semantics the generated code relies on. Everything is
    /// position-independent because everything ends up in a shared library.
    public var compileFlags: [String] { compileFlags(optimization) }

    func compileFlags(_ level: OptimizationLevel) -> [String] {
        [level.flag, "-fPIC"] + (debugInfo ? ["-g"] : Self.lineTableFlags) + extraFlags + CLowering.requiredCFlags
    }

    /// The flags for one unit, at the level for the kind of functions it holds.
    func compileFlags(for source: URL) -> [String] {
        switch UnitKind(unitName: source.lastPathComponent) {
        case .functions: compileFlags
        case .large: compileFlags(largeFunctions?.level ?? optimization)
        }
    }

    /// What `compile` did: the objects, in the order of the sources, and how many of them
    /// the compiler had to build (the rest came from the cache).
    public struct Objects: Sendable {
        public var files: [URL]
        public var compiled: Int
    }

    /// Memory the compilers may use at once; nil: what the system has available when a
    /// `compile` starts (where that is unknown, only `jobs` limits).
    public var memoryBudget: Int?

    /// Compiles each source into an object, at most `jobs` at a time and, past the first,
    /// only as many as `memoryBudget` allows by `memoryEstimate`. An object is keyed by
    /// the source's text, `headersKey` (a hash of every header it may include: the caller
    /// knows which), the flags and the compiler, so an unchanged unit is not compiled again.
    public func compile(_ sources: [URL], includes: [URL], headersKey: String) async throws -> Objects {
        var objects = [URL?](repeating: nil, count: sources.count)
        var compiled = 0
        var state = CompileProgress(units: sources.count, bytes: 0)
        // The largest first, so that no long compile starts last while the other cores idle.
        let sizes = sources.map(Self.fileSize)
        state.bytes = sizes.reduce(0, +)
        let order = sources.indices.sorted { sizes[$0] > sizes[$1] }
        let estimates = sources.indices.map { Self.memoryEstimate(
            unitBytes: sizes[$0], kind: UnitKind(unitName: sources[$0].lastPathComponent), flags: compileFlags(for: sources[$0])) }
        let memoryBudget = memoryBudget ?? Self.availableMemory()
        try await withThrowingTaskGroup(of: (index: Int, object: URL, compiled: Bool).self) { group in
            var next = 0, running = 0, reserved = 0
            /// Starts the next unit if a job and the memory for it are free.
            func start() -> Bool {
                guard next < order.count, running < jobs else { return false }
                let index = order[next]
                if running > 0, let memoryBudget, reserved + estimates[index] > memoryBudget { return false }
                next += 1
                running += 1
                reserved += estimates[index]
                group.addTask { try await compileOne(sources[index], includes: includes, headersKey: headersKey, index: index) }
                return true
            }
            while start() {}
            while let done = try await group.next() {
                running -= 1
                reserved -= estimates[done.index]
                objects[done.index] = done.object
                if done.compiled { compiled += 1 }
                state.unitsDone += 1
                state.bytesDone += sizes[done.index]
                progress?(state)
                while start() {}
            }
        }
        return Objects(files: objects.map { $0! }, compiled: compiled)
    }

    /// A generous guess at the peak memory of compiling a unit. Measured with gcc 12 on
    /// yosys's units: about 60 MB for the compiler itself, plus under 50 bytes per byte of
    /// C for units of many functions, but up to 1,300 at -O2 (460 at -O0) where huge
    /// functions fill the unit: what the optimizer keeps per function grows faster than
    /// the function. A unit past the usual size holds such a function.
    static func memoryEstimate(unitBytes: Int, kind: UnitKind, flags: [String]) -> Int {
        let hugeFunctions = kind != .functions || unitBytes > 256 * 1024
        let optimizing = flags.last { $0.hasPrefix("-O") } != "-O0"
        let perByte = hugeFunctions ? (optimizing ? 1_400 : 600) : 200
        return 64 << 20 + unitBytes * perByte
    }

    /// MemAvailable from /proc/meminfo, in bytes.
    static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kib * 1024
    }

    private static func fileSize(_ file: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int) ?? 0
    }

    private func compileOne(_ source: URL, includes: [URL], headersKey: String, index: Int)
        async throws -> (index: Int, object: URL, compiled: Bool)
    {
        guard let text = FileManager.default.contents(atPath: source.path) else {
            throw ToolchainError("cannot read \(source.path)")
        }
        var key = SHA256()
        key.field(compiler.identity)
        let flags = compileFlags(for: source)
        key.field(flags.joined(separator: " "))
        key.field(headersKey)
        key.field(Array(text))
        let object = cache.object(key.hexDigest())
        if BuildCache.reuse(object) { return (index, object, false) }

        try BuildCache.createFolder(object.deletingLastPathComponent())
        let temporary = BuildCache.temporary(for: object)
        let arguments = flags + Self.compilationFolderFlags(flags) + includes.map { "-I\($0.path)" }
            + ["-c", source.path, "-o", temporary.path]
        do {
            try await compiler.run(arguments, what: "compiling \(source.lastPathComponent)", log: commandLog)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try BuildCache.publish(temporary, as: object)
        return (index, object, true)
    }

    /// With `-g`, the object names the folder it was compiled in (DW_AT_comp_dir), against
    /// which debuggers resolve relative source names (`#line "average.c"`). The key holds
    /// no folder, so the object from one folder serves builds in any: it names `.`, and
    /// debuggers look in their own folder and their source path.
    static func compilationFolderFlags(_ flags: [String]) -> [String] {
        guard flags.contains(where: { $0.hasPrefix("-g") && $0 != "-g0" }) else { return [] }
        return ["-fdebug-prefix-map=\(FileManager.default.currentDirectoryPath)=."]
    }

    /// Links objects into a shared library at `output`, which appears complete or not at all.
    public func linkSharedLibrary(_ objects: [URL], output: URL) async throws(ToolchainError) {
        try BuildCache.createFolder(output.deletingLastPathComponent())
        let temporary = BuildCache.temporary(for: output)
        do {
            try await compiler.run(["-shared", "-o", temporary.path] + objects.map(\.path) + ["-lm", "-lpthread"],
                                   what: "linking \(output.lastPathComponent)", log: commandLog)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try BuildCache.publish(temporary, as: output)
    }

    /// Runs `work` once for concurrent callers with the same key: they wait for one build
    /// instead of each starting their own. Finished work is forgotten; the cache on disk
    /// remembers it.
    static func once(_ key: String, _ work: @escaping @Sendable () async throws -> URL) async throws -> URL {
        let task = inFlight.withLock { tasks in
            if let task = tasks[key] { return task }
            let task = Task {
                defer { inFlight.withLock { _ = $0.removeValue(forKey: key) } }
                return try await work()
            }
            tasks[key] = task
            return task
        }
        return try await task.value
    }

    private static let inFlight = Mutex<[String: Task<URL, any Error>]>([:])
}

/// How far a `Builder.compile` is: units and bytes of C done of all.
public struct CompileProgress: Sendable {
    public var units: Int
    public var bytes: Int
    public var unitsDone = 0
    public var bytesDone = 0
    public let started = ContinuousClock.now

    /// "[ 12/831 units]  1m05s, about 3m20s left": what is left estimated from the bytes
    /// compiled so far (a unit's compile time grows with its size).
    public var line: String {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = "[\(String(unitsDone).leftPadded(to: String(units).count, with: " "))/\(units) units] \(Self.duration(seconds))"
        if bytesDone > 0, bytesDone < bytes {
            text += ", about \(Self.duration(seconds * Double(bytes - bytesDone) / Double(bytesDone))) left"
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(String(whole % 60).leftPadded(to: 2, with: "0"))s"
    }
}

extension String {
    func leftPadded(to length: Int, with pad: Character) -> String {
        String(repeating: pad, count: max(0, length - count)) + self
    }
}
