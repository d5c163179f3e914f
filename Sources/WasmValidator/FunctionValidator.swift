import WasmDecoder

enum FrameKind: UInt8 {
    case function, block, loop, `if`, `else`, `try`, `catch`, catchAll, tryTable
}

/// One entry of the control stack (the spec appendix's ctrl_frame).
struct Frame {
    var kind: FrameKind
    var unreachable: Bool
    var height: Int
    var params: UnsafePointer<UInt32>
    var paramCount: Int
    var results: UnsafePointer<UInt32>
    var resultCount: Int
    /// How many locals were initialized when it began (`FunctionValidator.initialized`).
    var initializedCount = 0

    var labelTypes: UnsafePointer<UInt32> { kind == .loop ? params : results }
    var labelCount: Int { kind == .loop ? paramCount : resultCount }
}

/// Operand types are `ValueType.bits` words. `unknown` is "any type" after `unreachable`
/// (the spec's bottom); `bottomReference` is a reference of no heap type, which
/// `ref.as_non_null` and the null branches make of an unknown operand.
let unknown: UInt32 = 0
let bottomReference: UInt32 = 0x1FF
let i32: UInt32 = 0x7F, i64: UInt32 = 0x7E, f32: UInt32 = 0x7D, f64: UInt32 = 0x7C, v128: UInt32 = 0x7B
let funcref: UInt32 = 0x70, externref: UInt32 = 0x6F, exnref: UInt32 = 0x69

@inline(__always) func isReference(_ type: UInt32) -> Bool {
    let code = type & 0xFF  // references are 0x69 (exnref) through 0x74 (nullexnref)
    return (code >= 0x69 && code <= 0x74) || type == bottomReference
}

/// Validates function bodies one at a time, following the algorithm of the
/// spec's validation appendix. One instance per thread; buffers are reused.
final class FunctionValidator {
    let context: ValidationContext
    var reader: ByteReader
    var instructionStart = 0

    // Operand stack of types, and per slot the set of types it ever held.
    var stack: UnsafeMutablePointer<UInt32>
    var slotMasks: UnsafeMutablePointer<UInt8>
    var capacity = 1024
    var height = 0
    var maxHeight = 0

    var frames: [Frame] = []
    /// Cached from the innermost frame: pops below `floor` hit the frame's bottom.
    var floor = 0
    var unreachable = false

    var locals: [UInt32] = []
    /// Locals without a default value (non-nullable references) that are set, in the order
    /// set; a block forgets those it set when it ends. Params count as set.
    var initialized: [UInt32] = []
    var isInitialized: [Bool] = []
    /// Whether the function has such locals: only then is `initialized` kept.
    var tracksInitialization = false
    /// Single-type block results that are not simple types, as one-element lists.
    var singleTypes: [UInt32: UnsafeMutablePointer<UInt32>] = [:]
    /// The function being validated (in the whole index space) and its tail calls.
    var functionIndex = 0
    var tailCalls = FunctionInfo.TailCalls.none
    var throwsItself = false, callsIndirectly = false
    var callees: Set<UInt32> = []
    var tablesWritten: Set<UInt32> = []
    /// The feature sets of the instructions seen (`Feature.bit`).
    var features: UInt32 = 0
    /// The memories named by the current instruction's immediates (memory.copy names two).
    var memories: (UInt32, UInt32) = (0, 0)
    static let slotBits: [UInt8] = {
        var bits = [UInt8](repeating: 0, count: 256)
        for kind in ValueKind.allCases { bits[Int(kind.rawValue)] = ValueType(kind).slotBit }
        return bits
    }()
    // Instance copies of the global tables: a global is reached through a lazy
    // initialization check on every access.
    let slotBits = FunctionValidator.slotBits
    let instructions = InstructionSet.all
    let lookup = InstructionLookup()

    init(context: ValidationContext, base: UnsafePointer<UInt8>) {
        self.context = context
        reader = ByteReader(base: base, position: 0, end: 0, limit: context.module.bytes.count)
        stack = .allocate(capacity: capacity)
        slotMasks = .allocate(capacity: capacity)
        slotMasks.initialize(repeating: 0, count: capacity)
        frames.reserveCapacity(64)
    }

    deinit {
        stack.deallocate()
        slotMasks.deallocate()
        for list in singleTypes.values { list.deallocate() }
    }

    // MARK: Errors

    func error(_ message: String) -> WasmError {
        WasmError(offset: instructionStart, message: message)
    }

    func mismatch(expected: UInt32, got: UInt32?) -> WasmError {
        error("type mismatch: instruction requires [\(typeName(expected))] but stack has [\(got.map(typeName) ?? "")]")
    }

    /// The spec's wording for a sequence that does not match: what is needed
    /// and what the top of the current block's stack holds.
    func mismatch(_ what: String, requires types: UnsafePointer<UInt32>, count: Int, wholeBlock: Bool = false) -> WasmError {
        let required = (0..<count).map { typeName(types[$0]) }.joined(separator: " ")
        let shown = wholeBlock ? floor : max(floor, height - max(count, 1))
        let present = (shown..<height).map { typeName(stack[$0]) }.joined(separator: " ")
        return error("type mismatch: \(what) requires [\(required)] but stack has [\(present)]")
    }

    // MARK: Operand stack

    @inline(__always)
    func push(_ type: UInt32) {
        if height == capacity { grow() }
        stack[height] = type
        slotMasks[height] |= slotBits[Int(type & 0xFF)]
        height += 1
        if height > maxHeight { maxHeight = height }
    }

    func grow() {
        let newCapacity = capacity * 2
        let newStack = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        newStack.update(from: stack, count: capacity)
        stack.deallocate()
        stack = newStack
        let newMasks = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newMasks.initialize(repeating: 0, count: newCapacity)
        newMasks.update(from: slotMasks, count: capacity)
        slotMasks.deallocate()
        slotMasks = newMasks
        capacity = newCapacity
    }

    @inline(__always)
    func pop() throws(WasmError) -> UInt32 {
        if height == floor {
            if unreachable { return unknown }
            throw error("type mismatch: operand stack is empty")
        }
        height -= 1
        return stack[height]
    }

    @inline(__always)
    func pop(_ expected: UInt32) throws(WasmError) {
        if height == floor {
            if unreachable { return }
            throw mismatch(expected: expected, got: nil)
        }
        height -= 1
        let actual = stack[height]
        if actual != expected && actual != unknown && expected != unknown && !context.isSubtype(actual, of: expected) {
            throw mismatch(expected: expected, got: actual)
        }
    }

    /// Pops a reference of any type; gives its type (`unknown` when the stack is polymorphic).
    func popReference() throws(WasmError) -> UInt32 {
        let type = try pop()
        guard type == unknown || isReference(type) else {
            throw error("type mismatch: instruction requires a reference but stack has [\(typeName(type))]")
        }
        return type
    }

    func pop(_ types: UnsafePointer<UInt32>, count: Int, what: String = "instruction") throws(WasmError) {
        let saved = height
        var index = count
        do throws(WasmError) {
            while index > 0 {
                index -= 1
                try pop(types[index])
            }
        } catch {
            height = saved
            throw mismatch(what, requires: types, count: count)
        }
    }

    func push(_ types: UnsafePointer<UInt32>, count: Int) {
        for index in 0..<count { push(types[index]) }
    }

    // MARK: Control stack

    func pushFrame(_ kind: FrameKind, params: UnsafePointer<UInt32>, paramCount: Int, results: UnsafePointer<UInt32>, resultCount: Int) {
        frames.append(Frame(kind: kind, unreachable: false, height: height, params: params, paramCount: paramCount, results: results,
                            resultCount: resultCount, initializedCount: initialized.count))
        floor = height
        unreachable = false
        push(params, count: paramCount)
    }

    func popFrame() throws(WasmError) -> Frame {
        guard let frame = frames.last else { throw error("unexpected end") }
        let saved = height
        try pop(frame.results, count: frame.resultCount)
        if height != frame.height {
            height = saved
            throw mismatch("block", requires: frame.results, count: frame.resultCount, wholeBlock: true)
        }
        frames.removeLast()
        if tracksInitialization { forgetInitialized(since: frame.initializedCount) }
        if let outer = frames.last {
            floor = outer.height
            unreachable = outer.unreachable
        }
        return frame
    }

    func setUnreachable() {
        height = floor
        unreachable = true
        frames[frames.count - 1].unreachable = true
    }

    /// A block's end: the locals it set are unset again.
    func forgetInitialized(since count: Int) {
        while initialized.count > count { isInitialized[Int(initialized.removeLast())] = false }
    }

    func label(_ depth: UInt32) throws(WasmError) -> Frame {
        guard Int(depth) < frames.count else { throw error("unknown label") }
        return frames[frames.count - 1 - Int(depth)]
    }

    // MARK: Immediates

    /// A block type: the params and results it gives the new frame.
    func blockType() throws(WasmError) -> (UnsafePointer<UInt32>, Int, UnsafePointer<UInt32>, Int) {
        let empty = UnsafePointer(context.signatureTypes)
        let byte = try reader.peekByte()
        if byte == 0x40 {
            reader.position += 1
            return (empty, 0, empty, 0)
        }
        if byte & 0xC0 == 0x40 || byte == 0x63 || byte == 0x64 {
            let type = try valueType()
            return (empty, 0, single(type), 1)
        }
        let index = try reader.readSigned(bits: 33)
        guard index >= 0, index < context.module.types.count else { throw error("unknown type") }
        guard context.typeKinds[Int(index)] == .funcref else { throw error("type mismatch: block type \(index) is not a function type") }
        let (params, paramCount) = context.params(ofType: Int(index))
        let (results, resultCount) = context.results(ofType: Int(index))
        return (params, paramCount, results, resultCount)
    }

    func valueType() throws(WasmError) -> UInt32 {
        try reader.readValueType(typeKinds: context.typeKinds).bits
    }

    /// A one-element type list holding `type`.
    func single(_ type: UInt32) -> UnsafePointer<UInt32> {
        if type <= 0xFF { return context.single(type) }
        if let list = singleTypes[type] { return UnsafePointer(list) }
        let list = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        list.initialize(to: type)
        singleTypes[type] = list
        return UnsafePointer(list)
    }

    /// A memory instruction's alignment, memory and offset; checks the memory exists.
    @inline(__always)
    func memoryArgument(naturalAlignment: UInt32, exact: Bool = false) throws(WasmError) {
        let flags = try reader.readU32()
        // Wasm 2.0 reads the flags as log2 of the alignment, below 32. Since multi-memory,
        // bits 0-5 are that and bit 6 says a memory index follows; too large an alignment
        // is then invalid rather than malformed.
        guard flags < (context.edition.multipleMemories ? 128 : 32) else { throw error("malformed memop flags") }
        let alignment = flags & 0x3F
        let memory = flags & 0x40 != 0 ? try reader.readU32() : 0
        let offset = try reader.readU64()
        guard memory < context.module.memories.count else { throw error("unknown memory \(memory)") }
        guard alignment <= naturalAlignment else { throw error("alignment must not be larger than natural") }
        // A 32-bit memory's offsets are below 4 GiB (memory64 reads them as u64 for all).
        if offset > UInt32.max, context.memoryAddressTypes[Int(memory)] == ValueKind.i32.rawValue { throw error("offset out of range") }
        memories.0 = memory
        // An atomic access states its natural alignment, no less.
        if exact, alignment != naturalAlignment { throw error("atomic alignment must be natural") }
    }

    func zeroByte() throws(WasmError) {
        guard try reader.readByte() == 0 else { throw error("zero byte expected") }
    }

    /// A memory index: in Wasm 2.0 a zero byte, since multi-memory any index.
    func memoryIndex() throws(WasmError) -> UInt32 {
        let memory: UInt32
        if !context.edition.multipleMemories {
            try zeroByte()
            memory = 0
        } else {
            memory = try reader.readU32()
        }
        guard memory < context.module.memories.count else { throw error("unknown memory \(memory)") }
        return memory
    }

    @inline(__always)
    func localType(_ index: UInt32) throws(WasmError) -> UInt32 {
        guard Int(index) < locals.count else { throw error("unknown local \(index)") }
        return locals.withUnsafeBufferPointer { $0[Int(index)] }
    }

    func globalIndex(_ index: UInt32) throws(WasmError) -> Int {
        guard Int(index) < context.globalTypes.count else { throw error("unknown global \(index)") }
        return Int(index)
    }

    func tableType(_ index: UInt32) throws(WasmError) -> UInt32 {
        guard Int(index) < context.tableTypes.count else { throw error("unknown table \(index)") }
        return context.tableTypes[Int(index)]
    }

    /// The type of a table's indices: i64 for table64, else i32. (Checked to exist first.)
    func tableAddress(_ index: UInt32) -> UInt32 {
        context.tableAddressTypes[Int(index)]
    }

    func elementType(_ index: UInt32) throws(WasmError) -> UInt32 {
        guard Int(index) < context.elementTypes.count else { throw error("unknown elem segment \(index)") }
        return context.elementTypes[Int(index)]
    }

    func dataSegment(_ index: UInt32) throws(WasmError) {
        let module = context.module
        guard index < module.dataCount ?? UInt32(module.data.count) else { throw error("unknown data segment \(index)") }
        guard module.dataCount != nil else { throw error("data count section required") }
    }

    func typeIndex(_ index: UInt32) throws(WasmError) -> Int {
        guard Int(index) < context.module.types.count else { throw error("unknown type \(index)") }
        return Int(index)
    }

    /// A type index that must name a function type.
    func functionTypeIndex(_ index: UInt32) throws(WasmError) -> Int {
        let type = try typeIndex(index)
        guard context.typeKinds[type] == .funcref else { throw error("type mismatch: type \(index) is not a function type") }
        return type
    }

    func tagType(_ index: UInt32) throws(WasmError) -> Int {
        guard Int(index) < context.module.tags.count else { throw error("unknown tag \(index)") }
        // The tag's own type index is checked at module level; this body must not trust it.
        return try functionTypeIndex(context.module.tags[Int(index)])
    }

    func functionType(_ index: UInt32) throws(WasmError) -> Int {
        guard Int(index) < context.module.functionTypes.count else { throw error("unknown function \(index)") }
        return try functionTypeIndex(context.module.functionTypes[Int(index)])
    }

    func call(type: Int) throws(WasmError) {
        let (params, paramCount) = context.params(ofType: type)
        try pop(params, count: paramCount)
        let (results, resultCount) = context.results(ofType: type)
        push(results, count: resultCount)
    }

    /// A direct call, whose exceptions the function passes on.
    func calls(_ callee: UInt32) {
        callees.insert(callee)
    }

    /// A tail call: the callee's results must be the caller's.
    func returnCall(type: Int) throws(WasmError) {
        let (results, resultCount) = context.results(ofType: type)
        let caller = frames[0]
        guard areSubtypes(results, resultCount, of: caller.results, caller.resultCount) else {
            throw error("type mismatch: tail call results differ from the function's")
        }
        let (params, paramCount) = context.params(ofType: type)
        try pop(params, count: paramCount)
        setUnreachable()
    }

    func laneIndex(below lanes: UInt8) throws(WasmError) {
        guard try reader.readByte() < lanes else { throw error("invalid lane index") }
    }

    // MARK: Functions

    /// Validates defined function `definedIndex`.
    func validate(definedIndex: Int) throws(WasmError) -> FunctionInfo {
        let module = context.module
        let body = module.codes[definedIndex]
        let typeIndex = Int(module.definedFunctionTypes[definedIndex])
        instructionStart = body.offset
        functionIndex = module.importedFunctionCount + definedIndex
        tailCalls = .none
        throwsItself = false
        callsIndirectly = false
        callees.removeAll(keepingCapacity: true)
        tablesWritten.removeAll(keepingCapacity: true)
        features = 0
        guard typeIndex < module.types.count else { throw error("unknown type \(typeIndex)") }

        locals.removeAll(keepingCapacity: true)
        locals += module.types[typeIndex].params.map(\.bits)
        let paramCount = locals.count
        for run in body.locals { locals += repeatElement(run.type.bits, count: Int(run.count)) }
        initialized.removeAll(keepingCapacity: true)
        tracksInitialization = body.locals.contains { !$0.type.isDefaultable }
        if tracksInitialization {
            isInitialized = locals.indices.map { $0 < paramCount || ValueType(bits: locals[$0]).isDefaultable }
        }

        slotMasks.update(repeating: 0, count: min(maxHeight, capacity))
        height = 0
        maxHeight = 0
        frames.removeAll(keepingCapacity: true)
        let empty = UnsafePointer(context.signatureTypes)
        let (results, resultCount) = context.results(ofType: typeIndex)
        pushFrame(.function, params: empty, paramCount: 0, results: results, resultCount: resultCount)

        reader.position = body.code.lowerBound
        reader.end = body.code.upperBound
        try validateInstructions()
        guard reader.position == reader.end else {
            instructionStart = reader.position
            throw error("section size mismatch: operators after the end of the function")
        }
        return FunctionInfo(maxStackHeight: maxHeight, slotTypes: Array(UnsafeBufferPointer(start: slotMasks, count: maxHeight)),
                            tailCalls: tailCalls, throwsItself: throwsItself, callsIndirectly: callsIndirectly, callees: callees.sorted(),
                            tablesWritten: tablesWritten.sorted(), features: features)
    }

    func validateInstructions() throws(WasmError) {
        while true {
            instructionStart = reader.position
            guard reader.position < reader.end else { throw error("END opcode expected") }
            let id = try reader.readInstruction(in: lookup)
            features |= lookup.featureBits[id]
            if var signature = lookup.signatures[id] {
                if lookup.immediates[id] != .none { try immediates(of: id) }
                if context.hasAddress64 { signature = addressTyped(signature, rule: lookup.rules[id], immediates: lookup.immediates[id]) }
                switch signature.operandCount {
                case 3: try pop(UInt32(signature.third)); fallthrough
                case 2: try pop(UInt32(signature.second)); fallthrough
                case 1: try pop(UInt32(signature.first))
                default: break
                }
                if signature.result != 0 { push(UInt32(signature.result)) }
                continue
            }
            switch lookup.rules[id] {
            case .unreachable:
                setUnreachable()
            case .nop:
                break
            case .block, .loop, .try:
                let (params, paramCount, results, resultCount) = try blockType()
                try pop(params, count: paramCount)
                let rule = lookup.rules[id]
                let kind: FrameKind = rule == .block ? .block : rule == .loop ? .loop : .try
                pushFrame(kind, params: params, paramCount: paramCount, results: results, resultCount: resultCount)
            case .if:
                let (params, paramCount, results, resultCount) = try blockType()
                try pop(i32)
                try pop(params, count: paramCount)
                pushFrame(.if, params: params, paramCount: paramCount, results: results, resultCount: resultCount)
            case .else:
                guard frames.last?.kind == .if else { throw error("else without matching if") }
                let frame = try popFrame()
                pushFrame(.else, params: frame.params, paramCount: frame.paramCount, results: frame.results, resultCount: frame.resultCount)
            case .catch:  // legacy
                let tag = try tagType(try reader.readU32())
                let kind = frames.last?.kind
                guard kind == .try || kind == .catch else { throw error("catch without matching try") }
                let frame = try popFrame()
                let (params, paramCount) = context.params(ofType: tag)
                // The caught values start the catch block's stack.
                pushFrame(.catch, params: params, paramCount: paramCount, results: frame.results, resultCount: frame.resultCount)
            case .catchAll:  // legacy
                let kind = frames.last?.kind
                guard kind == .try || kind == .catch else { throw error("catch_all without matching try") }
                let frame = try popFrame()
                let empty = UnsafePointer(context.signatureTypes)
                pushFrame(.catchAll, params: empty, paramCount: 0, results: frame.results, resultCount: frame.resultCount)
            case .delegate:  // legacy
                let depth = try reader.readU32()
                guard frames.last?.kind == .try else { throw error("delegate without matching try") }
                let frame = try popFrame()
                _ = try label(depth)
                push(frame.results, count: frame.resultCount)
            case .rethrow:  // legacy
                throwsItself = true
                let frame = try label(try reader.readU32())
                guard frame.kind == .catch || frame.kind == .catchAll else { throw error("invalid rethrow label") }
                setUnreachable()
            case .throw:
                throwsItself = true
                let tag = try tagType(try reader.readU32())
                let (params, paramCount) = context.params(ofType: tag)
                try pop(params, count: paramCount)
                setUnreachable()
            case .throwRef:
                throwsItself = true
                try pop(exnref)
                setUnreachable()
            case .tryTable:
                try tryTable()
            case .end:
                let frame = try popFrame()
                if frame.kind == .if && !areSubtypes(frame.params, frame.paramCount, of: frame.results, frame.resultCount) {
                    throw error("type mismatch: if without else must leave its parameters as results")
                }
                if frames.isEmpty { return }
                push(frame.results, count: frame.resultCount)
            case .br:
                let frame = try label(try reader.readU32())
                try pop(frame.labelTypes, count: frame.labelCount)
                setUnreachable()
            case .brIf:
                let frame = try label(try reader.readU32())
                try pop(i32)
                try pop(frame.labelTypes, count: frame.labelCount)
                push(frame.labelTypes, count: frame.labelCount)
            case .brTable:
                try brTable()
            case .return:
                let frame = frames[0]
                try pop(frame.results, count: frame.resultCount)
                setUnreachable()
            case .call:
                let callee = try reader.readU32()
                try call(type: try functionType(callee))
                calls(callee)
            case .callIndirect:
                callsIndirectly = true
                let type = try functionTypeIndex(try reader.readU32())
                let tableIndex = try reader.readU32()
                let table = try tableType(tableIndex)
                guard context.isSubtype(table, of: funcref) else { throw error("type mismatch: call_indirect needs a funcref table") }
                try pop(tableAddress(tableIndex))
                try call(type: type)
            case .returnCall:
                let callee = try reader.readU32()
                try returnCall(type: try functionType(callee))
                calls(callee)
                if Int(callee) != functionIndex { tailCalls = .toOthers } else if tailCalls == .none { tailCalls = .toItself }
            case .returnCallIndirect:
                let type = try functionTypeIndex(try reader.readU32())
                let tableIndex = try reader.readU32()
                let table = try tableType(tableIndex)
                guard context.isSubtype(table, of: funcref) else { throw error("type mismatch: call_indirect needs a funcref table") }
                try pop(tableAddress(tableIndex))
                try returnCall(type: type)
                tailCalls = .toOthers
                callsIndirectly = true
            case .drop:
                _ = try pop()
            case .select:
                try pop(i32)
                let first = try pop()
                let second = try pop()
                if isReference(first) || isReference(second) {
                    throw error("type mismatch: select without a type needs numeric or vector operands")
                }
                if first != second && first != unknown && second != unknown {
                    throw error("type mismatch: select operands are \(typeName(second)) and \(typeName(first))")
                }
                push(first == unknown ? second : first)
            case .selectTyped:
                let count = try reader.readU32()
                guard count == 1 else { throw error("invalid result arity") }
                let typeOffset = reader.position
                let type: UInt32
                do throws(WasmError) { type = try valueType() } catch {
                    instructionStart = typeOffset
                    throw error
                }
                try pop(i32)
                try pop(type)
                try pop(type)
                push(type)
            case .localGet:
                let index = try reader.readU32()
                let type = try localType(index)
                if tracksInitialization, !isInitialized[Int(index)] { throw error("uninitialized local \(index)") }
                push(type)
            case .localSet:
                let index = try reader.readU32()
                try pop(try localType(index))
                if tracksInitialization { initialize(index) }
            case .localTee:
                let index = try reader.readU32()
                let type = try localType(index)
                try pop(type)
                push(type)
                if tracksInitialization { initialize(index) }
            case .globalGet:
                push(context.globalTypes[try globalIndex(try reader.readU32())])
            case .globalSet:
                let index = try globalIndex(try reader.readU32())
                guard context.globalMutable[index] else { throw error("global is immutable") }
                try pop(context.globalTypes[index])
            case .tableGet:
                let table = try reader.readU32()
                let type = try tableType(table)
                try pop(tableAddress(table))
                push(type)
            case .tableSet:
                let table = try reader.readU32()
                tablesWritten.insert(table)
                let type = try tableType(table)
                try pop(type)
                try pop(tableAddress(table))
            case .refNull:
                push(try reader.readHeapType(typeKinds: context.typeKinds, nullable: true).bits)
            case .refIsNull:
                _ = try popReference()
                push(i32)
            case .refFunc:
                let index = try reader.readU32()
                let type = try functionType(index)
                guard context.declaredReferences.contains(index) else { throw error("undeclared function reference") }
                push(ValueType.reference(toType: UInt32(type), nullable: false).bits)
            case .refAsNonNull:
                push(nonNullable(try popReference()))
            case .brOnNull:
                let frame = try label(try reader.readU32())
                let reference = try popReference()
                try pop(frame.labelTypes, count: frame.labelCount)
                push(frame.labelTypes, count: frame.labelCount)
                push(nonNullable(reference))
            case .brOnNonNull:
                let frame = try label(try reader.readU32())
                guard frame.labelCount > 0, isReference(frame.labelTypes[frame.labelCount - 1]) else {
                    throw error("type mismatch: br_on_non_null needs a label whose last type is a reference")
                }
                let reference = try popReference()
                push(nonNullable(reference))
                try pop(frame.labelTypes, count: frame.labelCount)
                push(frame.labelTypes, count: frame.labelCount - 1)
            case .callRef, .returnCallRef:
                let type = try functionTypeIndex(try reader.readU32())
                try pop(ValueType.reference(toType: UInt32(type), nullable: true).bits)
                if lookup.rules[id] == .callRef {
                    try call(type: type)
                } else {
                    try returnCall(type: type)
                    tailCalls = .toOthers
                }
                callsIndirectly = true
            case .tableInit:
                let elementIndex = try reader.readU32()
                let tableIndex = try reader.readU32()
                tablesWritten.insert(tableIndex)
                let table = try tableType(tableIndex)
                let element = try elementType(elementIndex)
                guard context.isSubtype(element, of: table) else { throw error("type mismatch: element segment and table types differ") }
                try pop(i32); try pop(i32); try pop(tableAddress(tableIndex))
            case .elementDrop:
                _ = try elementType(try reader.readU32())
            case .tableCopy:
                let (destinationIndex, sourceIndex) = (try reader.readU32(), try reader.readU32())
                tablesWritten.insert(destinationIndex)
                let destination = try tableType(destinationIndex)
                let source = try tableType(sourceIndex)
                guard context.isSubtype(source, of: destination) else { throw error("type mismatch: table types differ") }
                // The length is i64 only when both tables' indices are.
                let (to, from) = (tableAddress(destinationIndex), tableAddress(sourceIndex))
                try pop(to == i64 && from == i64 ? i64 : i32); try pop(from); try pop(to)
            case .tableGrow:
                let table = try reader.readU32()
                tablesWritten.insert(table)
                let type = try tableType(table)
                try pop(tableAddress(table))
                try pop(type)
                push(tableAddress(table))
            case .tableSize:
                let table = try reader.readU32()
                _ = try tableType(table)
                push(tableAddress(table))
            case .tableFill:
                let table = try reader.readU32()
                tablesWritten.insert(table)
                let type = try tableType(table)
                try pop(tableAddress(table))
                try pop(type)
                try pop(tableAddress(table))
            case .structNew, .structNewDefault, .structGet, .structSet, .arrayNew, .arrayNewDefault, .arrayNewFixed,
                 .arrayNewData, .arrayNewElem, .arrayGet, .arraySet, .arrayLen, .arrayFill, .arrayCopy, .arrayInitData,
                 .arrayInitElem, .refTest, .refCast, .brOnCast, .brOnCastFail, .anyConvertExtern, .externConvertAny, .refI31,
                 .i31Get, .refEq:
                try validateGC(lookup.rules[id], code: instructions[id].code)
            case .unsupported:
                let instruction = instructions[id]
                throw WasmError.unsupported("\(instruction.name) (\(instruction.encoding), \(instruction.feature)) is",
                                            at: instructionStart, feature: instruction.feature.description)
            case .operation, .load, .store, .constant, .memorySize, .memoryGrow, .memoryInit, .dataDrop, .memoryCopy, .memoryFill:
                // Typed by their signatures, above.
                throw error("internal error: \(instructions[id].name) has no signature")
            }
        }
    }

    /// A memory instruction's signature with its addresses of its memories' address types
    /// (the table gives them as i32). A length is i64 only when both memories are.
    func addressTyped(_ signature: Signature, rule: Rule, immediates: Immediates) -> Signature {
        let types = context.memoryAddressTypes
        switch immediates {
        case .memory, .memoryLane:
            return Signature(codes: types[Int(memories.0)], signature.second, signature.third, result: signature.result)
        case .memoryIndex:
            let address = types[Int(memories.0)]
            switch rule {
            case .memorySize: return Signature(codes: 0, 0, 0, result: address)
            case .memoryGrow: return Signature(codes: address, 0, 0, result: address)
            case .memoryFill: return Signature(codes: address, ValueKind.i32.rawValue, address, result: 0)
            default: return signature
            }
        case .twoMemoryIndices:  // memory.copy: destination, source, length
            let (destination, source) = (types[Int(memories.0)], types[Int(memories.1)])
            let (i32, i64) = (ValueKind.i32.rawValue, ValueKind.i64.rawValue)
            return Signature(codes: destination, source, destination == i64 && source == i64 ? i64 : i32, result: 0)
        case .dataAndMemory:  // memory.init: the destination is an address, the rest in the segment
            return Signature(codes: types[Int(memories.0)], ValueKind.i32.rawValue, ValueKind.i32.rawValue, result: 0)
        default:
            return signature
        }
    }

    /// Reads and checks the immediates of an instruction that its signature types.
    func immediates(of id: Int) throws(WasmError) {
        switch lookup.immediates[id] {
        case .none: break
        case .memory:
            try memoryArgument(naturalAlignment: UInt32(instructions[id].naturalAlignment),
                               exact: lookup.featureBits[id] == Feature.threads.bit)
        case .memoryLane:
            try memoryArgument(naturalAlignment: UInt32(instructions[id].naturalAlignment))
            try laneIndex(below: instructions[id].lanes)
        case .memoryIndex:
            memories.0 = try memoryIndex()
        case .twoMemoryIndices:
            memories = (try memoryIndex(), try memoryIndex())
        case .dataAndMemory:
            let segment = try reader.readU32()
            memories.0 = try memoryIndex()
            try dataSegment(segment)
        case .data:
            try dataSegment(try reader.readU32())
        case .zeroByte: try zeroByte()
        case .i32: _ = try reader.readS32()
        case .i64: _ = try reader.readS64()
        case .f32: try reader.skip(4)
        case .f64: try reader.skip(8)
        case .v128: try reader.skip(16)
        case .lane:
            try laneIndex(below: instructions[id].lanes)
        case .shuffle:
            for _ in 0..<16 { try laneIndex(below: 32) }
        case .blockType, .tryTable, .index, .twoIndices, .branchTable, .valueTypes, .heapType, .castBranch:
            throw error("internal error: \(instructions[id].name) has a signature and its own immediates")
        }
    }

    /// A set local without a default value.
    func initialize(_ index: UInt32) {
        if !isInitialized[Int(index)] {
            isInitialized[Int(index)] = true
            initialized.append(index)
        }
    }

    /// The non-nullable type of a reference operand's heap type.
    func nonNullable(_ type: UInt32) -> UInt32 {
        type == unknown ? bottomReference : type | ValueType.nonNullBit
    }

    /// Whether the lists are as long and each type of `a` is a subtype of `b`'s at its place.
    func areSubtypes(_ a: UnsafePointer<UInt32>, _ aCount: Int, of b: UnsafePointer<UInt32>, _ bCount: Int) -> Bool {
        guard aCount == bCount else { return false }
        for index in 0..<aCount where !context.isSubtype(a[index], of: b[index]) { return false }
        return true
    }

    func brTable() throws(WasmError) {
        let count = try reader.readCount()
        try pop(i32)
        var targets: [UInt32] = []
        targets.reserveCapacity(count + 1)
        for _ in 0...count { targets.append(try reader.readU32()) }
        let defaultFrame = try label(targets[count])
        let arity = defaultFrame.labelCount
        for depth in targets.dropLast() {
            let frame = try label(depth)
            guard frame.labelCount == arity else { throw error("type mismatch: br_table targets have different arities") }
            // Check the operands against this label without consuming them.
            let saved = height
            try pop(frame.labelTypes, count: arity)
            height = saved
        }
        try pop(defaultFrame.labelTypes, count: arity)
        setUnreachable()
    }

    func tryTable() throws(WasmError) {
        let (params, paramCount, results, resultCount) = try blockType()
        let count = try reader.readCount(minimumElementSize: 2)
        for _ in 0..<count {
            let kind = try reader.readByte()
            guard kind <= 3 else { throw error("malformed catch clause") }
            var caught: [UInt32] = []
            if kind <= 1 {
                let tag = try tagType(try reader.readU32())
                let (tagParams, tagCount) = context.params(ofType: tag)
                caught = Array(UnsafeBufferPointer(start: tagParams, count: tagCount))
            }
            if kind == 1 || kind == 3 { caught.append(exnref | ValueType.nonNullBit) }  // (ref exn)
            let frame = try label(try reader.readU32())
            let matches = caught.withUnsafeBufferPointer { areSubtypes($0.baseAddress ?? frame.labelTypes, $0.count, of: frame.labelTypes, frame.labelCount) }
            guard matches else {
                throw error("type mismatch: catch clause does not match its label's types")
            }
        }
        try pop(params, count: paramCount)
        pushFrame(.tryTable, params: params, paramCount: paramCount, results: results, resultCount: resultCount)
    }
}
