import Foundation
import Testing
import WAT
import WasmDecoder
import WasmValidator
import CLowering

/// Robustness: damaged modules must be rejected with an error, never crash or hang the
/// decoder or validator. Mutations of spec test modules and a few hand-made ones; all
/// deterministic, so a failure names a case that reproduces.
@Suite struct MutationTests {
    static let seedFiles = [
        "core/binary-leb128.wast", "core/binary.wast", "core/block.wast", "core/br_table.wast",
        "core/call_indirect.wast", "core/elem.wast", "core/data.wast", "core/global.wast",
        "core/if.wast", "core/imports.wast", "core/memory.wast", "core/table.wast",
        "core/select.wast", "core/simd_lane.wast", "core/simd_const.wast", "core/bulk.wast",
        "core/ref_func.wast", "proposals/exception-handling/try_table.wast",
        "proposals/exception-handling/throw_ref.wast",
    ]
    static let minimumInputs = 100_000
    static let perInputLimit = Duration.seconds(2)

    /// `$WASM_TESTSUITE`, else `../shared/wasm-testsuite` beside the package.
    static func suiteDirectory() -> URL {
        if let path = ProcessInfo.processInfo.environment["WASM_TESTSUITE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/wasm-testsuite").standardizedFileURL
    }

    /// The binary of every module in the script: defined, or expected to be invalid or malformed.
    static func modules(inScript text: String) -> [[UInt8]] {
        guard var script = try? parseWAST(text) else { return [] }
        var modules: [[UInt8]] = []
        func add(_ source: ModuleSource) {
            switch source {
            case .binary(let bytes): modules.append(bytes)
            case .text(let wat): if let bytes = try? wat.encode() { modules.append(bytes) }
            case .quote: break  // text that is meant not to parse
            }
        }
        while let next = script.nextDirectiveResult() {
            guard case .success(let directive) = next.directive else { continue }
            switch directive {
            case .module(let module): add(module.source)
            case .assertInvalid(let module, _), .assertMalformed(let module, _): add(module.source)
            case .assertUnlinkable(let wat, _): if let bytes = try? wat.encode() { modules.append(bytes) }
            default: break
            }
        }
        return modules
    }

    static func seeds() throws -> [[UInt8]] {
        let directory = suiteDirectory()
        var seeds = HandMade.all
        for file in seedFiles {
            let url = directory.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw SuiteMissing(description: "cannot read \(url.path): clone https://github.com/WebAssembly/testsuite "
                    + "to ../shared/wasm-testsuite beside the package, or set WASM_TESTSUITE to its path")
            }
            seeds += modules(inScript: text)
        }
        return seeds
    }

    struct SuiteMissing: Error, CustomStringConvertible { var description: String }

    // The limit catches a hang, not slowness: alone this takes seconds, but a CI machine
    // shared with the spec suite's compiles once starved it past 5 minutes.
    @Test(.timeLimit(.minutes(20)))
    func mutatedModulesAreRejectedCleanly() async throws {
        let seeds = try Self.seeds()
        #expect(seeds.count > 500, "expected the spec scripts to give hundreds of modules")
        let perSeed = max(4, (Self.minimumInputs + seeds.count - 1) / seeds.count)
        let total = seeds.count * perSeed
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // MUTATION_DUMP=DIR only writes the inputs there, as case-N.wasm, to be checked one
        // process each (`wasmkiln validate`): that finds every crasher, not just the first.
        let dump = ProcessInfo.processInfo.environment["MUTATION_DUMP"].map { URL(fileURLWithPath: $0) }
        let clock = ContinuousClock()
        let start = clock.now
        // The seeds themselves first: they are inputs too, and the split shows what the mutations start from.
        var seedStats = Stats()
        if dump == nil {
            for (index, seed) in seeds.enumerated() { seedStats.run(seed, label: "seed \(index)", crossCheck: true, clock: clock) }
        }

        // Worker w takes cases w, w + workers, ...; case n is mutation n % perSeed of seed n / perSeed.
        var stats = await withTaskGroup(of: Stats.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var stats = Stats()
                    for caseNumber in stride(from: worker, to: total, by: workers) {
                        var rng = SplitMix64(seed: UInt64(caseNumber) &* 0x2545_F491_4F6C_DD1D ^ 0x5EED)
                        let input = Mutator.mutate(seeds[caseNumber / perSeed], rng: &rng)
                        if let dump {
                            try? Data(input).write(to: dump.appendingPathComponent("case-\(caseNumber).wasm"))
                            continue
                        }
                        stats.run(input, label: "case \(caseNumber)", crossCheck: caseNumber % 16 == 0, clock: clock)
                    }
                    return stats
                }
            }
            return await group.reduce(into: Stats()) { $0.merge($1) }
        }
        if let dump {
            print("MutationTests: wrote \(total) inputs to \(dump.path)")
            return
        }

        let mutations = stats
        stats.merge(seedStats)
        print("""
            MutationTests: \(seeds.count) seeds (\(seedStats.valid) valid, \(seedStats.malformed) malformed, \
            \(seedStats.invalid) invalid), \(mutations.inputs) mutations in \(clock.now - start) on \(workers) workers: \
            \(mutations.valid) valid, \(mutations.malformed) rejected by the decoder, \(mutations.invalid) by the validator; \
            slowest: \(stats.slowestInput) (\(stats.slowestInputSize) bytes) took \(stats.slowest)
            """)
        #expect(mutations.inputs >= 10_000)
        for problem in stats.problems.prefix(20) { Issue.record(Comment(rawValue: problem)) }
        #expect(stats.problems.count == 0, "\(stats.problems.count) inputs broke a rule")
    }

    /// The rules for one input, checked the way a caller would see them.
    struct Stats: Sendable {
        var inputs = 0, valid = 0, malformed = 0, invalid = 0
        var slowest = Duration.zero, slowestInput = "", slowestInputSize = 0
        var problems: [String] = []

        mutating func run(_ input: [UInt8], label: String, crossCheck: Bool, clock: ContinuousClock) {
            var problem: String?
            let elapsed = clock.measure { problem = check(input, crossCheck: crossCheck) }
            inputs += 1
            if elapsed > slowest { (slowest, slowestInput, slowestInputSize) = (elapsed, label, input.count) }
            if elapsed > MutationTests.perInputLimit { problem = problem ?? "took \(elapsed)" }
            if let problem { problems.append("\(label) (\(input.count) bytes): \(problem)") }
        }

        mutating func check(_ input: [UInt8], crossCheck: Bool) -> String? {
            let module: Module
            do {
                module = try ModuleDecoder.decode(input)
            } catch {
                malformed += 1
                return outOfRange(error, input)
            }
            do {
                let validated = try Validator.validate(module, parallel: false)
                valid += 1
                if validated.functions.count != module.codes.count {
                    return "\(validated.functions.count) function infos for \(module.codes.count) bodies"
                }
                if crossCheck, let error = Validator.errors(in: module, parallel: true).first {
                    return "valid serially, yet in parallel: \(error)"
                }
                // Whatever validates must lower to C, or be refused for a named feature.
                do {
                    _ = try CLowering.lower(validated, options: LoweringOptions(prefix: "m"))
                } catch {
                    if !error.description.contains("not supported yet") { return "lowering failed: \(error)" }
                }
            } catch {
                invalid += 1
                if let problem = outOfRange(error, input) { return problem }
                if crossCheck {
                    // Parallel validation must report the same first error as serial.
                    let all = Validator.errors(in: module, parallel: true)
                    if let bad = all.first(where: { !(0...input.count).contains($0.offset) }) { return outOfRange(bad, input) }
                    guard let first = all.first, first.offset == error.offset, first.message == error.message else {
                        return "serial first error \(error), parallel \(all.first.map { "\($0)" } ?? "none")"
                    }
                }
            }
            return nil
        }

        func outOfRange(_ error: WasmError, _ input: [UInt8]) -> String? {
            (0...input.count).contains(error.offset) ? nil : "error offset \(error.offset) outside 0...\(input.count): \(error)"
        }

        mutating func merge(_ other: Stats) {
            inputs += other.inputs
            valid += other.valid
            malformed += other.malformed
            invalid += other.invalid
            if other.slowest > slowest { (slowest, slowestInput, slowestInputSize) = (other.slowest, other.slowestInput, other.slowestInputSize) }
            problems += other.problems
        }
    }

    /// Seeds the spec scripts lack: extremes of nesting and locals.
    enum HandMade {
        static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

        static var all: [[UInt8]] { [header, deepNesting, manyLocals] }

        /// A module with one `() -> ()` function whose body is `code` after `locals`.
        static func function(locals: [UInt8], code: [UInt8]) -> [UInt8] {
            let body = locals + code
            let entry = Mutator.uleb(UInt64(body.count)) + body
            let codeSection = [0x01] + entry
            return header
                + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]  // type section: () -> ()
                + [0x03, 0x02, 0x01, 0x00]  // function section: one function of type 0
                + [0x0A] + Mutator.uleb(UInt64(codeSection.count)) + codeSection
        }

        /// 2,000 nested blocks and a br_table that can leave any of them.
        static let deepNesting: [UInt8] = {
            let depth = 2_000
            var code: [UInt8] = []
            for _ in 0..<depth { code += [0x02, 0x40] }
            code += [0x41, 0x00, 0x0E] + Mutator.uleb(UInt64(depth))
            for target in 0..<depth { code += Mutator.uleb(UInt64(target)) }
            code += [0x00]
            code += [UInt8](repeating: 0x0B, count: depth + 1)
            return function(locals: [0x00], code: code)
        }()

        /// 50,000 locals, the decoder's limit, and a use of the last one.
        static let manyLocals: [UInt8] = function(
            locals: [0x02] + Mutator.uleb(25_000) + [0x7F] + Mutator.uleb(25_000) + [0x7E],
            code: [0x20] + Mutator.uleb(49_999) + [0x1A, 0x0B])
    }
}
