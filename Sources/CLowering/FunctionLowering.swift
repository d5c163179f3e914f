import WasmDecoder
import WasmValidator

/// Why a module cannot be lowered (yet): a feature we do not lower, or a function past
/// the limits of what a C compiler handles (`LoweringLimits`).
public struct LoweringError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// An instruction of a feature the backend does not lower yet.
        case unsupported
        /// Valid, but past `LoweringLimits`.
        case limit
        /// The module broke an assumption validation should have made true: a bug.
        case internalError
    }

    public var kind: Kind
    public var description: String
    /// For an unsupported instruction, its feature set.
    public var feature: Feature?
}

/// Lowers one function body to C. Operand stack slots become C locals named by
/// depth and type (`s3i` is slot 3 holding an i32); structured control flow
/// becomes labels and gotos. Code after a branch is unreachable and not emitted.
/// A constant or `local.get` is not copied into its slot but used where it is
/// consumed (`s0i = l2 + 1u;`), which halves the statements the C compiler reads;
/// it is copied only when it must be: before its local changes, and where control
/// flow joins.
struct FunctionLowering {
    let module: Module
    let names: CNames
    let options: LoweringOptions
    let index: Int  // in the whole function index space

    var reader: ByteReader
    let instructionSet = InstructionSet.all
    let lookup = InstructionLookup()
    /// The body's lines: a loop's label line is blanked at its end when no branch used it.
    var body: [String] = []
    /// What the C compiler's front end pays for (see `LoweringLimits.frontEndWork`).
    var scopes = 0, labels = 0, gotos = 0
    /// Ifs and loops open now, and the most ifs open at once.
    var openIfs = 0, openLoops = 0, deepest = 0
    var stack: [ValueType] = [] {
        // One pending entry per stack position, nil for a value in its slot.
        didSet {
            if pending.count > stack.count { pending.removeLast(pending.count - stack.count) }
            while pending.count < stack.count { pending.append(nil) }
        }
    }
    /// Stack positions whose value is not in its slot but this expression: a constant
    /// or a local's name.
    var pending: [String?] = []
    var frames: [Frame] = []
    var labelCount = 0
    /// The validator's record of which types each stack slot holds: one C variable each.
    let slotTypes: [UInt8]
    var usesMemory = false
    /// Memories other than 0 that loads and stores use: each gets its `mN`/`mbN` pair.
    var otherMemories: Set<UInt32> = []
    /// Whether the body needs wasmkiln-simd.h.
    var usesSIMD = false
    /// Whether the body calls or allocates GC objects, either of which may collect: then
    /// the GC references it holds live in a shadow-stack frame (see `gcRoots`).
    var mayCollect = false
    /// Whether a call goes through a table or an import (through `f_`).
    var callsThroughPointer = false
    /// The unshared memories whose size the function holds in a local, `msN`, for its
    /// bounds checks (see wk_check_below), and the lines of `body` after which the sizes
    /// may have changed (calls, memory.grow): placeholders, filled in at the end.
    var sizeLocals: Set<UInt32> = []
    var sizeChangePoints: [Int] = []
    /// Explicit bounds checks of accesses at a local's value made since the last
    /// instruction that has an effect or may trap otherwise (`keepsCheckedRanges`): the
    /// line of the check and how far past the local's value it reaches. A later access
    /// at the same local within that reach needs no check; one past it widens the earlier
    /// check instead. Trapping there rather than at the later access cannot be told apart:
    /// nothing between them had an effect, or could trap another way.
    var checkedRanges: [CheckedAddress: (line: Int, extent: UInt64)] = [:]
    struct CheckedAddress: Hashable {
        var memory: UInt32
        var local: String
    }
    /// Whether a call goes through a fixed table's array (through `e_`).
    var callsThroughFixedTable = false
    /// The tables whose contents are fixed when compiling, read as constant arrays.
    let fixedTables: FixedTables
    /// Whether the module has struct or array types: its externref values may then be
    /// GC objects (extern.convert_any), which frames must hold too.
    let hasGCTypes: Bool
    /// The locals (params included) that emitted code names.
    var usedLocals: Set<Int> = []
    /// The defined functions this one calls directly (their declarations go with it).
    private(set) var callees: Set<Int> = []
    /// Whether this function tail-calls others: its body is its tail entry, which reads its
    /// arguments from and leaves its results in `t_` (see wk_tail_state in wasmkiln-gen.h).
    let trampolined: Bool
    /// The defined functions with a tail entry (`ModuleLowering.tailEntries`).
    let tailEntries: Set<Int>
    /// The functions whose calls may throw, and whether calls through a table may
    /// (`ModuleLowering.exceptionFlow`).
    let mayThrow: Set<Int>
    let indirectCallsMayThrow: Bool
    /// Whether the function tail-calls itself: such a call assigns the parameters and
    /// jumps back to `T_`, where the other locals are zeroed.
    var restarts = false
    /// Exceptions (see ExceptionLowering): how many `xN` exception variables are declared,
    /// and whether `x_` is.
    var exceptionVariables = 0
    var catchesExceptions = false
    /// Frames whose try body is running, innermost last: throws and calls that may throw
    /// read it.
    var activeTries: [Int] = []
    /// The statement that leaves the function with an exception pending.
    let propagation: String
    /// The module's DWARF line table, if it has one: the C gets `#line` directives that
    /// point at the original source, for debuggers, profilers and addr2line.
    let lineTable: DWARFLineTable?
    /// Whether this function's lines are the original source's (it has rows in the line
    /// table); else they stand for its instructions' byte offsets (see offsetLine). Either
    /// way a trap names its line (WK_SITE), and so do debuggers.
    var sourceLines = false
    /// The byte offset of the instruction being lowered.
    var instructionOffset = 0
    /// The line table's row at the instruction being lowered, and the last one a `#line`
    /// directive named (file, line).
    var lineRow: Int?
    var directedLine: (file: Int32, line: UInt32)?

    struct Frame {
        enum Kind { case function, block, loop, `if`, `else`, tryTable, legacyTry, legacyCatch }
        var kind: Kind
        var label: Int
        var params: [ValueType]
        var results: [ValueType]
        var base: Int  // stack height below the params
        var branchedTo = false
        /// A loop's label, in `body`.
        var labelLine: Int?
        /// Whether the current point in the frame can be reached.
        var reachable = true
        /// For `else`: whether the end of the then-branch could be reached.
        var thenReachable = false
        /// Whether a call in the try body (not in a try inside it) may throw: its landing
        /// then takes the pending exception.
        var callsMayThrow = false
        /// A try_table's catch clauses.
        var clauses: [CatchClause] = []
        /// A legacy try's catch blocks: the tag (nil for catch_all) and the block's label.
        var catches: [(tag: Int?, label: Int)] = []
        /// A legacy catch block's `xN`, which keeps the exception for `rethrow`.
        var exceptionVariable = 0
        /// Whether a `rethrow` names this legacy catch block.
        var rethrown = false
        var labelTypes: [ValueType] { kind == .loop ? params : results }
    }

    init(module: Module, names: CNames, options: LoweringOptions, index: Int, info: FunctionInfo, tailEntries: Set<Int>,
         mayThrow: Set<Int>, indirectCallsMayThrow: Bool, fixedTables: FixedTables, base: UnsafePointer<UInt8>,
         lineTable: DWARFLineTable? = nil, hasGCTypes: Bool = false)
    {
        self.lineTable = lineTable
        self.hasGCTypes = hasGCTypes
        self.fixedTables = fixedTables
        self.mayThrow = mayThrow
        self.indirectCallsMayThrow = indirectCallsMayThrow
        slotTypes = info.slotTypes
        trampolined = info.tailCalls == .toOthers
        propagation = Self.propagation(results: module.functionType(UInt32(index))!.results, trampolined: trampolined, names: names)
        self.tailEntries = tailEntries
        self.module = module
        self.names = names
        self.options = options
        self.index = index
        let code = module.codes[index - module.importedFunctionCount].code
        reader = ByteReader(base: base, position: code.lowerBound, end: code.upperBound)
    }

    var type: FuncType { module.functionType(UInt32(index))! }
    var explicitChecks: Bool { options.boundsChecks == .explicit }

    /// The function's C definition.
    mutating func lower() throws(LoweringError) -> String {
        let definedIndex = index - module.importedFunctionCount
        let bodyInfo = module.codes[definedIndex]
        let sourceLine = lineTable.flatMap(functionLine)
        sourceLines = sourceLine != nil
        var locals = type.params
        for run in bodyInfo.locals { locals += Array(repeating: run.type, count: Int(run.count)) }

        frames = [Frame(kind: .function, label: newLabel(), params: [], results: type.results, base: 0)]
        do {
            try instructions(locals: locals)
        } catch let error as LoweringError {
            throw error
        } catch {
            throw LoweringError(kind: .internalError, description: "\(functionLabel): \(error)")
        }
        let work = scopes * (labels + gotos + deepest)
        if work > LoweringLimits.frontEndWork {
            throw failure(.limit, "too complex for a C compiler: \(scopes) conditional scopes times \(labels + gotos) branch targets and branches (more than \(LoweringLimits.frontEndWork) in all)")
        }

        // Where its traps are (see WK_SITE in wasmkiln-gen.h).
        let site = sourceLines ? "WK_SITE_SOURCE" : "WK_SITE_OFFSET"
        var text = "#undef WK_SITE\n#define WK_SITE \(site)(&\(names.prefix)__function_info[\(index)])\n"
        if trampolined {
            text += "WK_FUNCTION void \(names.tailEntry(index))(void *instance_, WK_UNUSED wk_tail_state *t_) {\n"
        } else {
            text += "WK_FUNCTION \(names.returnType(type.results)) \(names.function(index))(void *instance_"
            for (n, param) in type.params.enumerated() { text += ", WK_UNUSED \(param.cType) l\(n)" }
            text += ") {\n"
        }
        text += "    WK_UNUSED \(names.instanceType) *const inst = instance_;\n"
        if trampolined {
            for n in usedLocals.sorted() where n < type.params.count {
                text += "    WK_UNUSED \(locals[n].cType) l\(n) = t_->values[\(n)].\(locals[n].valueField);\n"
            }
        }
        // Locals, then stack slots, one declaration per C type. A value may be computed
        // and never read (a dropped result), so they are marked unused for -Wall.
        // Only the locals the code reads or writes: declaring all of them would make the C
        // grow with the declared count (50,000 a function), not with the wasm's size.
        // A function that restarts itself zeroes them after `T_` instead.
        let ownLocals = usedLocals.sorted().filter { $0 >= type.params.count }
        let roots = gcRoots(locals: locals)
        var localsByType: [(cType: String, declarators: [String])] = []
        for n in ownLocals where roots.locals[n] == nil {
            let declarator = restarts ? "l\(n)" : "l\(n) = \(Self.zero(locals[n]))"
            let cType = locals[n].cType
            if let k = localsByType.firstIndex(where: { $0.cType == cType }) {
                localsByType[k].declarators.append(declarator)
            } else {
                localsByType.append((cType, [declarator]))
            }
        }
        var slotsByType: [(cType: String, declarators: [String])] = []
        for type in [ValueType.i32, .i64, .f32, .f64, .v128, .funcref, ValueType(.anyref)] {
            let names = slotTypes.indices.filter { slotTypes[$0] & type.slotBit != 0 }.map { "s\($0)\(type.slotSuffix)" }
            if !names.isEmpty && !(type.isGCReference && !roots.isEmpty) { slotsByType.append((type.cType, names)) }
        }
        for (cType, declarators) in localsByType + slotsByType {
            text += "    WK_UNUSED \(declaration(cType, declarators))\n"
        }
        text += roots.declarations
        if callsThroughPointer { text += "    const wk_func *f_;\n" }
        if callsThroughFixedTable { text += "    const wk_table_entry *e_;\n" }
        text += exceptionDeclarations()
        if usesMemory {
            text += "    WK_UNUSED wk_memory *const m0 = inst->memories[0];\n    WK_UNUSED uint8_t *const mb = inst->memory_base;\n"
        }
        for memory in otherMemories.sorted() {
            text += "    WK_UNUSED wk_memory *const m\(memory) = inst->memories[\(memory)];\n    WK_UNUSED uint8_t *const mb\(memory) = m\(memory)->base;\n"
        }
        // The sizes held in locals: read here, and again after each call and memory.grow.
        let sizeReads = sizeLocals.sorted().map { "ms\($0) = m\($0)->size;\n" }
        text += sizeReads.map { "    uint64_t " + $0 }.joined()
        // One physical line, as #line directives count lines (see directLine).
        let refresh = sizeReads.isEmpty ? "" : "   " + sizeReads.map { " " + $0.dropLast() }.joined() + "\n"
        for line in sizeChangePoints { body[line] = refresh }
        if explicitChecks { text += "    WK_STACK_CHECK();\n" }
        if restarts {
            text += "T_:;\n"
            for n in ownLocals { text += "    l\(n) = \(Self.zero(locals[n], assigned: true));\n" }
        }
        // The signature and declarations at the function's own line (each line, so that
        // none of them takes another line's number), the body at its instructions'.
        let (line, file) = if let lineTable, let sourceLine {
            (Int(sourceLine.line), lineTable.files[Int(sourceLine.file)])
        } else {
            (offsetLine(bodyInfo.offset), offsetFile)
        }
        let bodyDirected = body.first { !$0.isEmpty }?.hasPrefix("#line") ?? false
        text = Self.directed(text, line: line, file: file) + (bodyDirected ? "" : "#line \(line)\n") + body.joined() + "}\n"
        text += roots.undefinitions + "\n"
        return trampolined ? text + Self.directed(trampoline(), line: line, file: file) : text
    }

    /// Each line of `text` after a directive naming `line` (and `file`, on the first).
    static func directed(_ text: String, line: Int, file: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated().map {
            ($0.offset == 0 ? lineDirective(line, file) : "#line \(line)\n") + $0.element + "\n"
        }.joined()
    }

    /// The first source line of the function's body (its opening line, as clang writes it).
    func functionLine(_ lineTable: DWARFLineTable) -> (file: Int32, line: UInt32)? {
        let body = module.codes[index - module.importedFunctionCount]
        guard var row = lineTable.firstRow(in: body.offset..<body.code.upperBound) else { return nil }
        while row < lineTable.rows.count, lineTable.rows[row].offset < body.code.upperBound {
            if lineTable.rows[row].line != 0 { return (lineTable.rows[row].file, lineTable.rows[row].line) }
            row += 1
        }
        return nil
    }

    /// Moves `lineRow` to the row that holds at `offset` (offsets only grow within a function).
    mutating func advanceLineRow(_ lineTable: DWARFLineTable, to offset: Int) {
        guard var row = lineRow, lineTable.rows[row].offset <= offset else {
            lineRow = lineTable.rowIndex(at: offset)
            return
        }
        while row + 1 < lineTable.rows.count, lineTable.rows[row + 1].offset <= offset { row += 1 }
        lineRow = row
    }

    /// The entry other callers use of a function that tail-calls others: its body under
    /// `wk_tail_run`, arguments and results passed in the thread's `wk_tail()`.
    func trampoline() -> String {
        var text = "WK_FUNCTION \(names.returnType(type.results)) \(names.function(index))(void *instance_"
        for (n, param) in type.params.enumerated() { text += ", \(param.cType) l\(n)" }
        text += ") {\n    wk_tail_state *const t_ = wk_tail();\n"
        for (n, param) in type.params.enumerated() { text += "    t_->values[\(n)].\(param.valueField) = l\(n);\n" }
        text += "    wk_tail_run(\(names.tailEntry(index)), instance_, t_);\n"
        let results = type.results.enumerated().map { "t_->values[\($0.offset)].\($0.element.valueField)" }
        switch results.count {
        case 0: break
        case 1: text += "    return \(results[0]);\n"
        default: text += "    return (\(names.returnType(type.results))){\(results.joined(separator: ", "))};\n"
        }
        return text + "}\n\n"
    }

    /// One declaration of several variables of a C type, with their initializers.
    func declaration(_ cType: String, _ declarators: [String]) -> String {
        guard cType.hasSuffix("*") else { return "\(cType) \(declarators.joined(separator: ", "));" }
        return "\(cType.dropLast())*\(declarators.joined(separator: ", *"));"
    }

    static func zero(_ type: ValueType, assigned: Bool = false) -> String {
        if type.isReference { return "NULL" }
        return type == .v128 ? (assigned ? "(wk_v128){0, 0}" : "{0, 0}") : "0"
    }


    mutating func newLabel() -> Int {
        labelCount += 1
        return labelCount
    }

    // MARK: Stack slots

    /// The C variable for stack position `depth` holding `type`.
    func slot(_ depth: Int, _ type: ValueType) -> String {
        "s\(depth)\(type.slotSuffix)"
    }

    /// The value at stack position `depth`, as a C expression.
    func operand(_ depth: Int) -> String {
        pending[depth] ?? slot(depth, stack[depth])
    }

    func top(_ offset: Int = 0) -> String {
        operand(stack.count - 1 - offset)
    }

    mutating func pushPending(_ type: ValueType, _ expression: String) {
        stack.append(type)
        pending[stack.count - 1] = expression
    }

    /// At the end of a block or then-branch: reachable, its values must be in their slots.
    mutating func materializeIfReachable() {
        if reachable { materialize() } else { pending = pending.map { _ in nil } }
    }

    /// Copies pending values into their slots: all of them (where control flow joins,
    /// the slots must hold the values), or those that read `local`, before it changes.
    mutating func materialize(local: Int? = nil) {
        let name = local.map { "l\($0)" }
        for depth in pending.indices where pending[depth] != nil && (name == nil || pending[depth] == name) {
            emit("\(slot(depth, stack[depth])) = \(pending[depth]!);")
            pending[depth] = nil
        }
    }

    mutating func push(_ type: ValueType) -> String {
        stack.append(type)
        return slot(stack.count - 1, type)
    }

    mutating func emit(_ line: String) {
        directLine()
        body.append("    " + line + "\n")
    }

    /// Before a line of C: a `#line` directive naming the source line it comes from, or
    /// the offset of its instruction. Every line gets one, as the line after a directive
    /// counts up from it and would claim the next source line (where a debugger would
    /// then stop). Rows without a line (compiler-made code) keep the line before them;
    /// the file is named when it changes.
    mutating func directLine() {
        guard sourceLines else {
            body.append("#line \(offsetLine(instructionOffset))\n")
            return
        }
        guard let lineTable, let lineRow else { return }
        let row = lineTable.rows[lineRow]
        guard let target = row.line != 0 ? (row.file, row.line) : directedLine else { return }
        if directedLine?.file == target.file {
            body.append("#line \(target.line)\n")
        } else {
            body.append(Self.lineDirective(Int(target.line), lineTable.files[Int(target.file)]))
        }
        directedLine = target
    }

    /// The line that stands for the instruction at `offset` in a function without source
    /// lines: 1 + its offset from the function's body, so that the C stays the same when
    /// other functions change (wk_trap_site adds the body's offset back).
    func offsetLine(_ offset: Int) -> Int {
        1 + offset - module.codes[index - module.importedFunctionCount].offset
    }

    /// The file a function's offset lines are in: "PREFIX.wasm#INDEX", one per function, so
    /// that a native line-table row names the function as well as the instruction even
    /// where the C compiler inlined it into another (wk_fault_site reads it back).
    var offsetFile: String { names.prefix + ".wasm#\(index)" }

    /// `#line LINE "FILE"`.
    static func lineDirective(_ line: Int, _ file: String) -> String {
        "#line \(line) \(ModuleLowering.cString(file))\n"
    }

    /// A point after which memory sizes may have changed: a placeholder line in `body`,
    /// where `lower()` puts the reads of the sizes held in locals (or nothing).
    mutating func markSizeChange() {
        directLine()
        sizeChangePoints.append(body.count)
        body.append("")
    }

    /// Emits a line that opens `count` C scopes (an `if`, a `{ … }`, a `switch`).
    mutating func emit(_ line: String, scopes count: Int) {
        scopes += count
        emit(line)
    }

    /// "func 3 (name)", or "func 3" without a name.
    var functionLabel: String {
        module.functionName(UInt32(index)).map { "func \(index) (\($0))" } ?? "func \(index)"
    }

    /// An error in this function at the instruction being read, located as the
    /// validator's messages are.
    func failure(_ kind: LoweringError.Kind, _ reason: String, at offset: Int? = nil) -> LoweringError {
        let position = offset.map { "offset 0x\(String($0, radix: 16)): " } ?? ""
        return LoweringError(kind: kind, description: "\(position)\(functionLabel): \(reason)")
    }

    // MARK: Control

    var reachable: Bool { frames[frames.count - 1].reachable }

    mutating func markUnreachable() {
        frames[frames.count - 1].reachable = false
    }

    /// Copies the top `types.count` values into the slots a branch target expects.
    func moveValues(_ types: [ValueType], to base: Int) -> String {
        var code = ""
        let from = stack.count - types.count
        for (k, type) in types.enumerated() where from != base || pending[from + k] != nil {
            code += "\(slot(base + k, type)) = \(operand(from + k)); "
        }
        return code
    }

    /// `if (condition)` a branch to the frame `depth` levels out.
    mutating func emitConditionalBranch(_ condition: String, to depth: Int) {
        let code = branch(depth)
        // Braces only around moves: each C block costs gcc's front end (see LoweringLimits).
        if code.hasPrefix("goto ") || code.hasPrefix("return") {
            emit("if (\(condition)) \(code)", scopes: 2)
        } else {
            emit("if (\(condition)) { \(code) }", scopes: 3)
        }
    }

    /// The code of a branch to the frame `depth` levels out.
    mutating func branch(_ depth: Int) -> String {
        let target = frames.count - 1 - depth
        if target == 0 { return returnStatement() }
        frames[target].branchedTo = true
        gotos += 1
        let frame = frames[target]
        return moveValues(frame.labelTypes, to: frame.base) + "goto L\(frame.label);"
    }

    func returnStatement() -> String {
        let results = type.results
        let from = stack.count - results.count
        if trampolined { return leaveValues(results, from: from) + "return;" }
        switch results.count {
        case 0: return "return;"
        case 1: return "return \(operand(from));"
        default:
            let values = (from..<stack.count).map { operand($0) }.joined(separator: ", ")
            return "return (\(names.returnType(results))){\(values)};"
        }
    }

    /// Stores values from stack position `from` on in `t_->values`, for `wk_tail_run`.
    func leaveValues(_ types: [ValueType], from: Int) -> String {
        types.enumerated().map { "t_->values[\($0.offset)].\($0.element.valueField) = \(operand(from + $0.offset)); " }.joined()
    }

    mutating func blockType() throws(WasmError) -> (params: [ValueType], results: [ValueType]) {
        let byte = try reader.peekByte()
        if byte == 0x40 {
            reader.position += 1
            return ([], [])
        }
        if byte & 0xC0 == 0x40 || byte == 0x63 || byte == 0x64 {
            return ([], [try reader.readValueType(typeKinds: module.typeKinds)])
        }
        let type = module.types[Int(try reader.readSigned(bits: 33))]
        return (type.params, type.results)
    }

    mutating func enter(_ kind: Frame.Kind, params: [ValueType], results: [ValueType], at offset: Int)
        throws(LoweringError)
    {
        var frame = Frame(kind: kind, label: newLabel(), params: params, results: results, base: stack.count - params.count)
        if kind == .if {
            openIfs += 1
            if openIfs > LoweringLimits.ifNesting {
                throw failure(.limit, "ifs nest more than \(LoweringLimits.ifNesting) deep", at: offset)
            }
            deepest = max(deepest, openIfs)
        }
        if kind == .loop {
            openLoops += 1
            if openLoops > LoweringLimits.loopNesting {
                throw failure(.limit, "loops nest more than \(LoweringLimits.loopNesting) deep", at: offset)
            }
            emit("L\(frame.label): __attribute__((unused));")
            frame.labelLine = body.count - 1  // after any #line emit wrote
        }
        frames.append(frame)
    }

    /// Ends the innermost frame at its `end`.
    mutating func leave() {
        let frame = frames.removeLast()
        if frame.kind == .if || frame.kind == .else { openIfs -= 1 }
        if frame.kind == .loop { openLoops -= 1 }
        stack.removeLast(stack.count - frame.base)
        stack += frame.results
        let after: Bool = switch frame.kind {
        case .loop, .function: frame.reachable
        case .block, .tryTable, .legacyTry, .legacyCatch: frame.reachable || frame.branchedTo
        case .if: true  // the then-branch, or the missing else, falls through
        case .else: frame.thenReachable || frame.reachable || frame.branchedTo
        }
        if frame.kind == .if || frame.kind == .else { emit("}") }
        if frame.kind != .loop && frame.branchedTo { emit("L\(frame.label): __attribute__((unused));") }
        // A loop that no branch continues is a block: its label would only cost compile time.
        if let line = frame.labelLine, !frame.branchedTo { body[line] = "" }
        if frame.branchedTo { labels += 1 }
        frames[frames.count - 1].reachable = after
    }

    // MARK: Instructions

    mutating func instructions(locals: [ValueType]) throws {
        // Blocks opened inside unreachable code, which is skipped rather than lowered.
        var skippedDepth = 0
        while true {
            let offset = reader.position
            instructionOffset = offset
            if sourceLines, let lineTable { advanceLineRow(lineTable, to: offset) }
            let id = try reader.readInstruction(in: lookup)
            let rule = instructionSet[id].rule
            if !checkedRanges.isEmpty, !keepsCheckedRanges(id) { checkedRanges.removeAll() }
            if !reachable {
                switch rule {
                case .block, .loop, .if, .try, .tryTable:
                    try reader.skip(instructionSet[id].immediates)
                    skippedDepth += 1
                    continue
                case .end where skippedDepth > 0, .delegate where skippedDepth > 0:
                    try reader.skip(instructionSet[id].immediates)
                    skippedDepth -= 1
                    continue
                case .else where skippedDepth > 0, .catchAll where skippedDepth > 0, .catch where skippedDepth > 0:
                    try reader.skip(instructionSet[id].immediates)
                    continue
                case .else, .end, .catch, .delegate, .catchAll:
                    break
                default:
                    try reader.skip(instructionSet[id].immediates)
                    continue
                }
            }
            switch rule {
            case .unreachable:
                emit("wk_trap_at(WK_TRAP_UNREACHABLE, WK_SITE);")
                markUnreachable()
            case .nop: break
            case .block, .loop:
                let (params, results) = try blockType()
                materialize()
                try enter(rule == .block ? .block : .loop, params: params, results: results, at: offset)
            case .if:
                let (params, results) = try blockType()
                let condition = top()
                stack.removeLast()
                materialize()
                emit("if (\(condition)) {", scopes: 2)
                try enter(.if, params: params, results: results, at: offset)
            case .else:
                materializeIfReachable()
                var frame = frames.removeLast()
                emit("} else {", scopes: 1)
                stack.removeLast(stack.count - frame.base)
                stack += frame.params
                frame.kind = .else
                frame.thenReachable = frame.reachable
                frame.reachable = true
                frames.append(frame)
            case .end:
                if frames.count == 1 {
                    if reachable { emit(returnStatement()) }
                    return
                }
                switch frames[frames.count - 1].kind {
                case .tryTable: endTryTable()
                case .legacyTry, .legacyCatch: endLegacyTry()
                default:
                    materializeIfReachable()
                    leave()
                }
            case .try:
                let (params, results) = try blockType()
                materialize()
                try enter(.legacyTry, params: params, results: results, at: offset)
                startTry()
            case .catch, .catchAll:
                try legacyCatch(tag: rule == .catch ? Int(try reader.readU32()) : nil)
            case .delegate:
                delegate(depth: Int(try reader.readU32()))
            case .throw:
                throwException(tag: Int(try reader.readU32()))
            case .rethrow:
                rethrow(depth: Int(try reader.readU32()))
            case .throwRef:
                throwReference()
            case .tryTable:
                let (params, results) = try blockType()
                let clauses = try catchClauses()
                materialize()
                try enter(.tryTable, params: params, results: results, at: offset)
                frames[frames.count - 1].clauses = clauses
                startTry()
            case .br:
                materialize()
                emit(branch(Int(try reader.readU32())))
                markUnreachable()
            case .brIf:
                let depth = Int(try reader.readU32())
                let condition = top()
                stack.removeLast()
                materialize()
                emitConditionalBranch(condition, to: depth)
            case .brTable:
                let count = try reader.readCount()
                if count > LoweringLimits.branchTableTargets {
                    throw failure(.limit, "br_table with \(count) targets, more than the \(LoweringLimits.branchTableTargets) WasmKiln compiles (wasmtime's limit too)", at: offset)
                }
                var depths: [Int] = []
                for _ in 0...count { depths.append(Int(try reader.readU32())) }
                let selector = top()
                stack.removeLast()
                materialize()
                // One branch per distinct target, its cases together: a branch copies the
                // target's values, so a case each would grow with cases times values.
                var labels: [Int: String] = [depths[count]: " default:"]
                var order = [depths[count]]
                for (k, depth) in depths.dropLast().enumerated() {
                    if labels[depth] == nil { order.append(depth) }
                    labels[depth, default: ""] += " case \(k):"
                }
                var text = "switch (\(selector)) {"
                for depth in order { text += "\(labels[depth]!) \(branch(depth))" }
                emit(text + " }", scopes: 2)
                markUnreachable()
            case .return:
                emit(returnStatement())
                markUnreachable()
            case .call:
                try call(callee: Int(try reader.readU32()))
            case .callIndirect:
                let typeIndex = Int(try reader.readU32())
                let table = try reader.readU32()
                let calleeType = module.types[typeIndex]
                let selector = top()
                stack.removeLast()
                if let slots = fixedTables.slots[Int(table)] {
                    callsThroughFixedTable = true
                    emitCall(type: calleeType,
                             target: "e_ = wk_fixed_indirect(\(names.prefix)__table_\(table), \(slots.count)u, \(selector), \(fixedTables.typeIDs[typeIndex])u); ",
                             function: "((\(names.pointerType(calleeType)))e_->code)", instance: "inst")
                } else {
                    callsThroughPointer = true
                    emitCall(type: calleeType,
                             target: "f_ = wk_indirect(inst->tables[\(table)], \(selector), inst->type_ids[\(typeIndex)]); ",
                             function: "((\(names.pointerType(calleeType)))f_->code)", instance: "f_->instance")
                }
                if indirectCallsMayThrow { checkThrown() }
            case .returnCall:
                try returnCall(callee: Int(try reader.readU32()))
                markUnreachable()
            case .returnCallIndirect:
                let typeIndex = Int(try reader.readU32())
                let table = try reader.readU32()
                let selector = top()
                stack.removeLast()
                callsThroughPointer = true
                emit("f_ = wk_indirect(inst->tables[\(table)], \(selector), inst->type_ids[\(typeIndex)]);")
                tailCallThroughPointer(type: module.types[typeIndex])
                markUnreachable()
            case .drop:
                stack.removeLast()
            case .select, .selectTyped:
                try reader.skip(instructionSet[id].immediates)
                let (condition, second, first) = (top(), top(1), top(2))
                let type = stack[stack.count - 2]
                stack.removeLast(3)
                emit("\(push(type)) = \(condition) ? \(first) : \(second);")
            case .localGet:
                let local = Int(try reader.readU32())
                usedLocals.insert(local)
                pushPending(locals[local], "l\(local)")
            case .localSet:
                let local = Int(try reader.readU32())
                forgetCheckedRanges(of: local)
                usedLocals.insert(local)
                let value = top()
                stack.removeLast()
                materialize(local: local)
                emit("l\(local) = \(value);")
            case .localTee:
                let local = Int(try reader.readU32())
                forgetCheckedRanges(of: local)
                usedLocals.insert(local)
                materialize(local: local)
                emit("l\(local) = \(top());")
            case .globalGet:
                let global = Int(try reader.readU32())
                if let constant = constantGlobal(global) {
                    pushPending(module.globals[global].valueType, constant)
                } else {
                    emit("\(push(module.globals[global].valueType)) = \(globalValue(global));")
                }
            case .globalSet:
                let global = Int(try reader.readU32())
                emit("\(globalValue(global)) = \(top());")
                stack.removeLast()
            case .tableGet:
                let table = try reader.readU32()
                let address = top()
                stack.removeLast()
                emit("\(push(module.tables[Int(table)].elementType)) = wk_table_get(inst->tables[\(table)], \(address));")
            case .tableSet:
                let table = try reader.readU32()
                emit("wk_table_set(inst->tables[\(table)], \(top(1)), \(top()));")
                stack.removeLast(2)
            case .load, .store:
                try memoryAccess(id, at: offset)
            case .operation:
                try operation(id, at: offset)
            case .constant:
                switch instructionSet[id].immediates {
                case .i32: pushPending(.i32, "\(UInt32(bitPattern: try reader.readS32()))u")
                case .i64: pushPending(.i64, "\(UInt64(bitPattern: try reader.readS64()))ull")
                case .f32: pushPending(.f32, "wk_f32_from(0x\(String(try reader.readU32Fixed(), radix: 16))u)")
                case .f64: pushPending(.f64, "wk_f64_from(0x\(String(try reader.readU64Fixed(), radix: 16))ull)")
                default:
                    let low = try reader.readU64Fixed()
                    pushPending(.v128, "(wk_v128){\(low)ull, \(try reader.readU64Fixed())ull}")
                }
            case .memorySize:
                let memoryIndex = try reader.readU32()
                let memory = module.memories[Int(memoryIndex)]
                let handle = "inst->memories[\(memoryIndex)]"
                // Another thread may be growing a shared memory.
                let pages = memory.shared ? "__atomic_load_n(&\(handle)->pages, __ATOMIC_ACQUIRE)" : "\(handle)->pages"
                emit("\(push(memory.limits.addressType)) = \(pages);")
            case .memoryGrow:
                let memory = try reader.readU32()
                let delta = top()
                stack.removeLast()
                let limits = module.memories[Int(memory)].limits
                emit("\(push(limits.addressType)) = \(limits.address64 ? "wk_memory_grow64_at" : "wk_memory_grow_at")(inst->memories[\(memory)], \(delta), \(index)u);")
                markSizeChange()
            case .refNull:
                let type = try reader.readHeapType(typeKinds: module.typeKinds, nullable: true)
                emit("\(push(type)) = NULL;")
            case .refIsNull:
                let value = top()
                stack.removeLast()
                emit("\(push(.i32)) = \(value) == NULL;")
            case .refFunc:
                let function = Int(try reader.readU32())
                let type = ValueType.reference(toType: module.functionTypes[function], nullable: false)
                emit("\(push(type)) = (void *)\(ModuleLowering.functionReference(function, module: module));")
            case .refAsNonNull:
                let value = top()
                let type = stack.removeLast()
                emit("\(push(type.asNonNullable)) = wk_ref_as_non_null(\(value));")
            case .brOnNull:
                let depth = Int(try reader.readU32())
                let value = top()
                let wasPending = pending[stack.count - 1] != nil
                let type = stack.removeLast()
                materialize()
                emitConditionalBranch("\(value) == NULL", to: depth)
                // Not taken, the reference is still in its slot (or still the expression).
                if wasPending { pushPending(type.asNonNullable, value) } else { stack.append(type.asNonNullable) }
            case .brOnNonNull:
                let depth = Int(try reader.readU32())
                let value = top()
                materialize()
                emitConditionalBranch("\(value) != NULL", to: depth)
                stack.removeLast()
            case .callRef:
                let type = module.types[Int(try reader.readU32())]
                let reference = top()
                stack.removeLast()
                callsThroughPointer = true
                emitCall(type: type, target: "f_ = wk_ref_func(\(reference)); ",
                         function: "((\(names.pointerType(type)))f_->code)", instance: "f_->instance")
                if indirectCallsMayThrow { checkThrown() }
            case .returnCallRef:
                let type = module.types[Int(try reader.readU32())]
                let reference = top()
                stack.removeLast()
                callsThroughPointer = true
                emit("f_ = wk_ref_func(\(reference));")
                tailCallThroughPointer(type: type)
                markUnreachable()
            case .memoryInit, .dataDrop, .memoryCopy, .memoryFill, .tableInit, .elementDrop, .tableCopy, .tableGrow, .tableSize, .tableFill:
                try bulk(rule)
            case .unsupported:
                throw unsupported(id, at: offset)  // validation refuses these first
            case .structNew, .structNewDefault, .structGet, .structSet, .arrayNew, .arrayNewDefault, .arrayNewFixed,
                 .arrayGet, .arraySet, .arrayLen, .arrayFill, .arrayCopy, .refTest, .refCast, .brOnCast, .brOnCastFail,
                 .refI31, .i31Get, .refEq, .arrayNewData, .arrayNewElem, .arrayInitData, .arrayInitElem:
                try gcInstruction(rule, code: instructionSet[id].code)
            case .anyConvertExtern, .externConvertAny:
                // May box (allocate): see wk_gc_internalize/externalize.
                mayCollect = true
                let operand = top()
                let nullable = stack[stack.count - 1].isNullable
                stack.removeLast()
                let (target, function): (ValueKind, String) = rule == .anyConvertExtern
                    ? (.anyref, "wk_gc_internalize") : (.externref, "wk_gc_externalize")
                emit("\(push(.reference(to: target, nullable: nullable))) = \(function)(\(operand));")
            }
        }
    }

    /// A global's value as a C lvalue: a defined global lives in the instance itself.
    func globalValue(_ global: Int) -> String {
        let field = module.globals[global].valueType.valueField
        if global >= module.importedGlobalCount {
            return "inst->global_storage[\(global - module.importedGlobalCount)].value.\(field)"
        }
        return "inst->globals[\(global)]->value.\(field)"
    }

    /// The value of a defined immutable global initialized by a constant, as a C constant:
    /// nothing can change it, so it need not be read from the instance.
    func constantGlobal(_ global: Int) -> String? {
        guard global >= module.importedGlobalCount else { return nil }
        let defined = module.definedGlobals[global - module.importedGlobalCount]
        guard !defined.type.isMutable, defined.initializer.instructions.count == 1 else { return nil }
        switch defined.initializer.instructions[0] {
        case .i32Const(let value): return "\(UInt32(bitPattern: value))u"
        case .i64Const(let value): return "\(UInt64(bitPattern: value))ull"
        case .f32Const(let bits): return "wk_f32_from(0x\(String(bits, radix: 16))u)"
        case .f64Const(let bits): return "wk_f64_from(0x\(String(bits, radix: 16))ull)"
        default: return nil
        }
    }

    /// The error for an instruction the table describes but the lowering has no C for yet.
    func unsupported(_ id: Int, at offset: Int) -> LoweringError {
        let instruction = instructionSet[id]
        var error = failure(.unsupported, "\(instruction.name) (\(instruction.encoding), \(instruction.feature)) is not supported yet", at: offset)
        error.feature = instruction.feature
        return error
    }

    mutating func call(callee: Int) throws {
        let calleeType = module.functionType(UInt32(callee))!
        if callee < module.importedFunctionCount {
            // Host code gets the stack limit's margin (see WK_STACK_CHECK).
            if !explicitChecks { emit("WK_STACK_CHECK();") }
            callsThroughPointer = true
            emitCall(type: calleeType, target: "f_ = inst->imports[\(callee)]; ",
                     function: "((\(names.pointerType(calleeType)))f_->code)", instance: "f_->instance")
        } else {
            callees.insert(callee)
            emitCall(type: calleeType, target: "", function: names.function(callee), instance: "inst")
        }
        if mayThrow.contains(callee) { checkThrown() }
    }

    /// `return_call`: to itself, a jump back to the start; to a function with a tail entry,
    /// its arguments and entry left for `wk_tail_run`; to any other, an ordinary call
    /// (which cannot make the chain longer) and a return of its results.
    mutating func returnCall(callee: Int) throws {
        let calleeType = module.functionType(UInt32(callee))!
        let from = stack.count - calleeType.params.count
        if callee == index {
            materialize()
            for k in calleeType.params.indices {
                usedLocals.insert(k)
                emit("l\(k) = \(slot(from + k, stack[from + k]));")
            }
            gotos += 1
            restarts = true
            emit("goto T_;")
        } else if callee < module.importedFunctionCount {
            callsThroughPointer = true
            emit("f_ = inst->imports[\(callee)];")
            if !explicitChecks { emit("WK_STACK_CHECK();") }
            tailCallThroughPointer(type: calleeType)
        } else if tailEntries.contains(callee) {
            callees.insert(callee)
            emit(leaveValues(calleeType.params, from: from) + "t_->next = \(names.tailEntry(callee)); t_->instance = inst; return;")
        } else {
            callees.insert(callee)
            ordinaryTailCall(type: calleeType, function: names.function(callee), instance: "inst")
        }
    }

    /// A tail call of `f_`: through its tail entry if it has one, else an ordinary call.
    mutating func tailCallThroughPointer(type calleeType: FuncType) {
        let from = stack.count - calleeType.params.count
        emit("if (f_->tail) { \(leaveValues(calleeType.params, from: from))t_->next = f_->tail; t_->instance = f_->instance; return; }",
             scopes: 3)
        ordinaryTailCall(type: calleeType, function: "((\(names.pointerType(calleeType)))f_->code)", instance: "f_->instance")
    }

    /// A tail call made as an ordinary call, its results left for `wk_tail_run` (the
    /// validator gives them no stack slots: after a tail call nothing is pushed).
    mutating func ordinaryTailCall(type calleeType: FuncType, function: String, instance: String) {
        mayCollect = true
        let from = stack.count - calleeType.params.count
        let arguments = ([instance] + (from..<stack.count).map { operand($0) }).joined(separator: ", ")
        stack.removeLast(calleeType.params.count)
        let results = calleeType.results
        switch results.count {
        case 0:
            emit("\(function)(\(arguments)); return;")
        case 1:
            emit("t_->values[0].\(results[0].valueField) = \(function)(\(arguments)); return;")
        default:
            var text = "{ \(names.returnType(results)) r_ = \(function)(\(arguments));"
            for (k, type) in results.enumerated() { text += " t_->values[\(k)].\(type.valueField) = r_.r\(k);" }
            emit(text + " return; }", scopes: 1)
        }
    }

    /// A call; `prefix` first sets `f_` (one variable for the function: a declaration per
    /// call would need a C block each, which gcc's front end pays for, see LoweringLimits).
    mutating func emitCall(type: FuncType, target prefix: String, function: String, instance: String) {
        mayCollect = true
        let base = stack.count - type.params.count
        let arguments = ([instance] + (base..<stack.count).map { operand($0) }).joined(separator: ", ")
        // GC references passed from stack slots: the callee holds them now, and a slot
        // that kept them would keep them alive (in the frame) until overwritten.
        let passedSlots = (base..<stack.count).filter { depth in
            let result = depth - base < type.results.count ? type.results[depth - base] : nil
            return pending[depth] == nil && stack[depth].isGCReference && result?.isGCReference != true
        }.map { slot($0, stack[$0]) }
        stack.removeLast(type.params.count)
        switch type.results.count {
        case 0:
            emit("\(prefix)\(function)(\(arguments));")
        case 1:
            emit("\(prefix)\(push(type.results[0])) = \(function)(\(arguments));")
        default:
            var text = "{ \(prefix)\(names.returnType(type.results)) r_ = \(function)(\(arguments));"
            for (k, resultType) in type.results.enumerated() { text += " \(push(resultType)) = r_.r\(k);" }
            emit(text + " }", scopes: 1)
        }
        if !passedSlots.isEmpty { emit(passedSlots.map { "\($0) = NULL;" }.joined(separator: " ")) }
        markSizeChange()
    }

    /// An instruction computed from its operands (and lane immediates) by its C form.
    mutating func operation(_ id: Int, at offset: Int) throws {
        guard let template = instructionSet[id].c, let signature = instructionSet[id].signature else {
            throw unsupported(id, at: offset)
        }
        let lanes = try laneImmediates(of: id)
        let count = signature.operandCount
        let operands = (0..<count).map { top(count - 1 - $0) }
        stack.removeLast(count)
        let value = Self.fill(template, operands: operands, lanes: lanes)
        if signature.result == 0 { return emit(value + ";") }
        emit("\(push(ValueType(code: signature.result)!)) = \(value);")
    }

    /// The lane index (for `$L`) or the shuffle's lanes (for `$S`) read from the code, if
    /// the instruction has them; a reserved zero byte (`atomic.fence`) is read and dropped.
    mutating func laneImmediates(of id: Int) throws -> String {
        if instructionSet[id].prefix == 0xFD { usesSIMD = true }
        switch instructionSet[id].immediates {
        case .zeroByte:
            try reader.skip(1)
            return ""
        case .shuffle:
            var lanes: [String] = []
            for _ in 0..<16 { lanes.append(String(try reader.readByte())) }
            return lanes.joined(separator: ", ")
        case .lane, .memoryLane:
            return String(try reader.readByte())
        default:
            return ""
        }
    }

    /// A C form with its placeholders filled in, in one pass: `$0`…`$2` the operands, `$@`
    /// the address, `$M` the memory, `$L` and `$S` the lanes.
    static func fill(_ template: String, operands: [String], address: String = "", memory: String = "",
                     lanes: String = "") -> String {
        var text = ""
        text.reserveCapacity(template.utf8.count + 48)
        var rest = template[...]
        while let dollar = rest.firstIndex(of: "$") {
            text += rest[..<dollar]
            let key = rest[rest.index(after: dollar)]
            switch key {
            case "@": text += address
            case "M": text += memory
            case "L", "S": text += lanes
            default: text += operands[Int(String(key))!]
            }
            rest = rest[rest.index(dollar, offsetBy: 2)...]
        }
        return text + rest
    }

    /// Whether accesses to `memory` are checked in C (else a guard region faults): always
    /// with explicit checks, and in any mode for 64-bit memories (no guard region covers a
    /// 64-bit address) and memories of 1-byte pages (which end inside a system page).
    func checksAccesses(to memory: UInt32) -> Bool {
        let type = module.memories[Int(memory)]
        return explicitChecks || type.address64 || type.pageSizeLog2 != 16
    }

    /// Whether the checks in `checkedRanges` still stand before this instruction: it has
    /// no effect and cannot trap but at a bounds check. (A store's own check may still
    /// merge with an earlier one; the store then ends the run, see `memoryAccess`.)
    func keepsCheckedRanges(_ id: Int) -> Bool {
        let instruction = instructionSet[id]
        switch instruction.rule {
        case .localGet, .localSet, .localTee, .globalGet, .constant, .drop, .select, .selectTyped, .nop:
            return true
        case .load, .store:
            return instruction.feature != .threads
        case .operation:
            return !instruction.trapsOnSomeOperands
        default:
            return false
        }
    }

    mutating func forgetCheckedRanges(of local: Int) {
        guard !checkedRanges.isEmpty else { return }
        let name = "l\(local)"
        checkedRanges = checkedRanges.filter { $0.key.local != name }
    }

    /// An explicit bounds check of an access at a local's value plus `offset`, merged
    /// with an earlier check at that local where `checkedRanges` holds one.
    mutating func checkAtLocal(_ local: String, memory: UInt32, offset: UInt64, size: Int) {
        let key = CheckedAddress(memory: memory, local: local)
        let extent = offset + UInt64(size)
        let limit = sizeLimit(memory)
        func check(_ extent: UInt64) -> String { "wk_check_below(\(limit), (uint64_t)\(local), \(extent)ull);" }
        if let earlier = checkedRanges[key] {
            guard extent > earlier.extent else { return }
            body[earlier.line] = "    " + check(extent) + "\n"
            checkedRanges[key]!.extent = extent
        } else {
            emit(check(extent))
            checkedRanges[key] = (body.count - 1, extent)
        }
    }

    /// What a bounds check compares with: an unshared memory's size held in a local
    /// (`msN`), a shared one's read atomically (see wk_check_below).
    mutating func sizeLimit(_ memory: UInt32) -> String {
        if module.memories[Int(memory)].shared { return "wk_shared_size(m\(memory))" }
        sizeLocals.insert(memory)
        return "ms\(memory)"
    }

    /// The effective address expression of a memory access, after its bounds check.
    /// `mergeable`: the check may merge with others at the same local (`checkedRanges`).
    mutating func address(_ operand: String, memory: UInt32, offset: UInt64, size: Int, mergeable: Bool = false) -> String {
        let type = module.memories[Int(memory)]
        let base = memory == 0 ? "mb" : "mb\(memory)"
        if memory == 0 { usesMemory = true } else { otherMemories.insert(memory) }
        if type.address64 {
            // Checked for wrapping past 2^64 too.
            emit("wk_check64_below(\(sizeLimit(memory)), \(operand), \(offset)ull, \(size));")
            return offset == 0 ? "\(base) + \(operand)" : "\(base) + \(operand) + \(offset)ull"
        }
        let sum = offset == 0 ? "(uint64_t)\(operand)" : "(uint64_t)\(operand) + \(offset)u"
        if checksAccesses(to: memory) {
            if mergeable, !type.shared, operand.first == "l", operand.dropFirst().allSatisfy(\.isNumber) {
                checkAtLocal(operand, memory: memory, offset: offset, size: size)
            } else {
                emit("wk_check_below(\(sizeLimit(memory)), \(sum), \(size));")
            }
        }
        return "\(base) + \(sum)"
    }

    /// A load or a store: its C form reads or writes at the checked address, the first
    /// operand; a store's value and a lane access's vector are the others.
    mutating func memoryAccess(_ id: Int, at offset: Int) throws {
        guard let template = instructionSet[id].c, let signature = instructionSet[id].signature else {
            throw unsupported(id, at: offset)
        }
        let argument = try reader.readMemoryArgument()
        let lanes = try laneImmediates(of: id)
        let count = signature.operandCount
        let operands = (0..<count).map { top(count - 1 - $0) }
        let size = 1 << Int(instructionSet[id].naturalAlignment)
        if instructionSet[id].feature == .threads, size > 1 {
            // An atomic access checks its alignment first, then its bounds. (A 64-bit sum
            // that wraps keeps its alignment: every access size divides 2^64.)
            emit("wk_atomic_align((uint64_t)\(operands[0]) + \(argument.offset)ull, \(size));")
        }
        let effective = address(operands[0], memory: argument.memory, offset: argument.offset, size: size,
                                mergeable: instructionSet[id].feature != .threads)
        stack.removeLast(count)
        var access = Self.fill(template, operands: operands, address: effective, memory: "m\(argument.memory)", lanes: lanes)
        if signature.result != 0 {
            // A checked access traps at its check: its load need not be kept (wk_read_*).
            if checksAccesses(to: argument.memory) { access = access.replacing("wk_load_", with: "wk_read_") }
            emit("\(push(ValueType(code: signature.result)!)) = \(access);")
        } else {
            emit(access + ";")
            // Only a store whose trap is a fault needs the barrier (see WK_AFTER_STORE).
            if !checksAccesses(to: argument.memory) { emit("WK_AFTER_STORE();") }
            checkedRanges.removeAll()
        }
    }

    /// `_shared` for the bulk helpers of shared memories (whose size another thread may
    /// change), else nothing.
    func sharedSuffix(_ memories: UInt32...) -> String {
        memories.contains { module.memories[Int($0)].shared } ? "_shared" : ""
    }

    /// Bulk memory and table instructions.
    mutating func bulk(_ rule: Rule) throws {
        switch rule {
        case .memoryInit:
            let segment = try reader.readU32()
            let memory = try reader.readU32()
            emit("wk_memory_init\(sharedSuffix(memory))(inst->memories[\(memory)], \(names.prefix)__data + \(module.dataStart(Int(segment)))u, inst->data_length[\(segment)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        case .dataDrop:
            emit("inst->data_length[\(try reader.readU32())] = 0;")
        case .memoryCopy:
            let destination = try reader.readU32()
            let source = try reader.readU32()
            emit("wk_memory_copy\(sharedSuffix(destination, source))(inst->memories[\(destination)], inst->memories[\(source)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        case .memoryFill:
            let memory = try reader.readU32()
            emit("wk_memory_fill\(sharedSuffix(memory))(inst->memories[\(memory)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        case .tableInit:
            let segment = try reader.readU32()
            let table = try reader.readU32()
            emit("wk_table_init(inst->tables[\(table)], inst->element_items[\(segment)], inst->element_length[\(segment)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        case .elementDrop:
            emit("inst->element_length[\(try reader.readU32())] = 0;")
        case .tableCopy:
            let destination = try reader.readU32()
            let source = try reader.readU32()
            emit("wk_table_copy(inst->tables[\(destination)], inst->tables[\(source)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        case .tableGrow:
            let table = try reader.readU32()
            let count = top()
            let value = top(1)
            stack.removeLast(2)
            let limits = module.tables[Int(table)].limits
            emit("\(push(limits.addressType)) = \(limits.address64 ? "wk_table_grow64" : "wk_table_grow")(inst->tables[\(table)], \(count), \(value));")
        case .tableSize:
            let table = try reader.readU32()
            emit("\(push(module.tables[Int(table)].limits.addressType)) = inst->tables[\(table)]->size;")
        case .tableFill:
            let table = try reader.readU32()
            emit("wk_table_fill(inst->tables[\(table)], \(top(2)), \(top(1)), \(top()));")
            stack.removeLast(3)
        default:
            throw failure(.internalError, "not a bulk instruction: \(rule)")
        }
    }
}
