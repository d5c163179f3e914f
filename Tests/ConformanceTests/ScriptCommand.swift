import WAT

/// One directive of a `.wast` script, reduced to what the front end can check and what
/// compiled code must do. Both script readers (WasmKit's WAT and wabt's wast2json)
/// produce these.
struct ScriptCommand: Sendable {
    enum Check: Sendable {
        /// The module must decode and validate.
        case accept([UInt8])
        /// The module must be rejected; `expected` is the script's error text.
        case reject([UInt8], expected: String)
        /// Nothing the front end can check.
        case skip(reason: String)
        /// The script could not be read at this directive.
        case unreadable(String)
    }

    /// The directive's name, e.g. `assert_invalid`.
    var kind: String
    var line: SourceLine
    /// The front end's part; nil for directives that only execute (`assert_return`).
    var check: Check?
    /// The back end's part, if any (a `module` has both).
    var execution: Execution?
}

/// Where a directive starts. WAT only knows a position, and turning it into a line
/// number rescans the file from its start, so that is done only for lines we report.
enum SourceLine: Sendable {
    case number(Int)
    case wat(Location)

    var number: Int {
        switch self {
        case .number(let line): line
        case .wat(let location): location.computeLineAndColumn().line
        }
    }
}

enum SkipReason {
    static let textModule = "text-format module: tests a text parser, not us"
    static let noWast2json = "WAT cannot parse it and wast2json is not installed"
}

/// What the runtime reports where the scripts expect something other than a trap.
enum SpecExpectations {
    /// `assert_exception`: an exception leaves the call (WK_TRAP_EXCEPTION's text).
    static let uncaughtException = "uncaught exception"
}
