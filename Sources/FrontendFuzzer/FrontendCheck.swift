import CLowering
import WasmDecoder
import WasmValidator

/// What the front end did with one input.
enum Outcome: Equatable {
    case malformed, invalid, lowered, unsupported, pastLimits
}

/// One input through the whole front end, as `wasmkiln emit-c` would take it: decode,
/// validate and, if valid, lower to C in both bounds-check modes. A crash is caught by
/// whoever runs this (libFuzzer or the replay tool); a broken rule is returned.
enum FrontendCheck {
    static func run(_ bytes: [UInt8]) -> Result<Outcome, Violation> {
        let module: Module
        do {
            module = try ModuleDecoder.decode(bytes)
        } catch {
            return checkOffset(error, bytes.count).map { .malformed }
        }
        let validated: ValidatedModule
        do {
            // Serial: one thread keeps a run deterministic and its coverage attributable.
            validated = try Validator.validate(module, parallel: false)
        } catch {
            return checkOffset(error, bytes.count).map { .invalid }
        }
        if validated.functions.count != module.codes.count {
            return .failure(Violation("\(validated.functions.count) function infos for \(module.codes.count) bodies"))
        }
        var outcome = Outcome.lowered
        for mode in BoundsChecks.allCases {
            do {
                _ = try CLowering.lower(validated, options: LoweringOptions(prefix: "fuzz", boundsChecks: mode))
            } catch {
                // A valid module may only be refused for a feature the backend lacks, or
                // for going past the limits of what a C compiler handles.
                switch error.kind {
                case .unsupported: outcome = .unsupported
                case .limit: outcome = .pastLimits
                case .internalError: return .failure(Violation("valid, yet lowering (\(mode.rawValue)) failed: \(error)"))
                }
            }
        }
        return .success(outcome)
    }

    /// An error must point into the input (or just past its end, for a truncated one).
    static func checkOffset(_ error: WasmError, _ count: Int) -> Result<Void, Violation> {
        (0...count).contains(error.offset)
            ? .success(()) : .failure(Violation("error offset \(error.offset) outside 0...\(count): \(error)"))
    }
}

/// A rule the front end broke on an input that did not crash it.
struct Violation: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
