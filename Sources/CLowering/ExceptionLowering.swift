import WasmDecoder

/// A try_table catch clause: `catch`, `catch_ref`, `catch_all`, `catch_all_ref`.
struct CatchClause {
    var tag: Int?
    var keepsReference: Bool
    /// The label, counted from outside the try_table.
    var depth: Int
}

/// Exceptions, lowered with the runtime's handlers (Exceptions in wasmkiln-gen.h).
///
/// A throw in the function's own code (`throw`, `throw_ref`, `rethrow`, `delegate`, or
/// a handler that takes nothing) jumps straight to the code of the innermost try around
/// it, `H<label>`, which picks the catch clause by tag and branches to its label with the
/// exception's values. Only a try body with a call that may throw (`mayThrow`; not one
/// inside a nested try) needs a jump buffer: it starts with `if (_setjmp(hN.jump))` and
/// pushes `hN` on the thread's handler list (N is how many try bodies of the function
/// enclose it). A jump buffer restores registers as they were at the try's start, so a
/// local the body assigns may hold an older value after the jump: before each such call,
/// the locals the body assigns and code after the landing may read (`keptAcrossLanding`)
/// are copied to volatile `vN`, and the landing copies them back. Nothing else is
/// spilled, and code outside try bodies is unchanged.
///
/// That costs the C compiler, for each jump buffer, work with every call and every value
/// live across it (gcc took 22 GB on a yosys function with 1,512 of them). A function with more
/// than `jumpBufferLimit` such tries instead gets one jump buffer `hf`, set by a single
/// `_setjmp` call (at `J_`, reached from the start of each such try and back through `r_`):
/// each call that may throw first notes its try in `tf_`, and the landing `D_` goes to that
/// try's code (pushing `hf` again when a try around it is still running: the throw popped
/// it). The locals that tries would copy are volatile instead (copies before every call
/// would grow with calls times locals): the buffer is set again at the start of every such
/// try, so nothing else can change between the last `_setjmp` and a throw landing in the
/// try it noted — locals the body does not assign kept their values, and stack slots
/// above the try's base are dropped by the landing.
extension FunctionLowering {
    static let jumpBufferLimit = 16

    /// Reads a try_table's catch clauses.
    mutating func catchClauses() throws -> [CatchClause] {
        var clauses: [CatchClause] = []
        for _ in 0..<(try reader.readCount()) {
            let kind = try reader.readByte()
            let tag = kind <= 1 ? Int(try reader.readU32()) : nil
            clauses.append(CatchClause(tag: tag, keepsReference: kind == 1 || kind == 3, depth: Int(try reader.readU32())))
        }
        return clauses
    }

    /// Opens the innermost frame's try body. Its jump buffer, if it needs one, is set in
    /// a line filled once the function is lowered (see `finishTries`).
    mutating func startHandler() {
        let handler = activeTries.count
        handlerCount = max(handlerCount, handler + 1)
        catchesExceptions = true
        let top = frames.count - 1
        let label = frames[top].label
        triesAround[label] = activeTries.map { frames[$0].label }
        frames[top].handler = handler
        frames[top].inLoop = frames.contains { $0.kind == .loop }
        activeTries.append(top)
        handlerOf[label] = handler
        emit("h\(handler).previous = wk_handlers;")
        tryEntries[label] = body.count
        body.append("")
    }

    /// Pops the handlers of the try bodies a branch to frame `target` leaves (the target's
    /// own included: its label is after its body). A body without a jump buffer pushed
    /// nothing, and its `previous` is the list as it is.
    func leaveHandlers(from target: Int) -> String {
        guard let outermost = activeTries.first(where: { $0 >= target }) else { return "" }
        return "wk_handlers = h\(frames[outermost].handler!).previous; "
    }

    /// A local.set or local.tee: the try bodies running now assign `local`.
    mutating func assign(_ local: Int) {
        for k in activeTries { frames[k].assigned.insert(local) }
    }

    /// A local.get, counted for the function and the try bodies running now.
    mutating func read(_ local: Int) {
        localReads[local] += 1
        for k in activeTries { frames[k].reads[local, default: 0] += 1 }
    }

    /// The locals a try body assigns that code may read after a throw lands in the try:
    /// read outside the body, or anywhere when a loop around may run the body again.
    func keptAcrossLanding(_ body: Frame) -> Set<Int> {
        body.assigned.filter { local in
            let total = Int(localReads[local])
            return body.inLoop ? total > 0 : total > body.reads[local, default: 0]
        }
    }

    /// Before a call that may throw: inside a try body, the body needs its jump buffer,
    /// and a line here saves the locals it assigns (see `finishTries`).
    mutating func throwSite() {
        guard let innermost = activeTries.last else { return }
        frames[innermost].needsJump = true
        throwSites.append((body.count, frames[innermost].label))
        body.append("")
    }

    /// Throws `exception` (a C expression) from this function's code: to the code of the
    /// innermost try around, or to the caller's handler.
    func throwLocally(_ exception: String) -> String {
        guard let innermost = activeTries.last else { return leaveHandlers(from: 0) + "wk_throw_exception(\(exception));" }
        let frame = frames[innermost]
        let keep = exception == "x_" ? "" : "x_ = \(exception); "
        return keep + "wk_handlers = h\(frame.handler!).previous; goto H\(frame.label);"
    }

    /// Ends the innermost try body: falls through to the end of the try; the body's
    /// handler is off the list from here.
    mutating func endTryBody() {
        let top = frames.count - 1
        let frame = frames[top]
        let handler = frame.handler!
        if reachable {
            materialize()
            frames[top].branchedTo = true
            gotos += 1
            emit("wk_handlers = h\(handler).previous; goto L\(frame.label);")
        }
        if frame.needsJump {
            jumpTries.append(frame.label)
            finishedJumpTries[frame.label] = frame
        }
        frames[top].handler = nil
        activeTries.removeLast()
        markUnreachable()
    }

    /// Where throws into the innermost try land, with the exception in `x_`.
    mutating func landing() {
        let frame = frames[frames.count - 1]
        body.append("H\(frame.label): __attribute__((unused));\n")
        stack.removeLast(stack.count - frame.base)
    }

    /// A try_table's `end`: its handler code, then its label.
    mutating func endTryTable() {
        endTryBody()
        landing()
        var catchesAll = false
        for clause in frames[frames.count - 1].clauses {
            let types = clause.tag.map { module.types[Int(module.tags[$0])].params } ?? []
            var text: String
            if clause.keepsReference {
                for (k, type) in types.enumerated() { pushPending(type, "x_->values[\(k)].\(type.valueField)") }
                pushPending(.exnref, "wk_exception_retain(x_)")
                text = branch(clause.depth + 1)
                stack.removeLast(types.count + 1)
            } else {
                // The values are copied out before the exception is freed.
                text = ""
                for (k, type) in types.enumerated() {
                    text += "\(type.cType) p\(k) = x_->values[\(k)].\(type.valueField); "
                    pushPending(type, "p\(k)")
                }
                text += "wk_exception_done(x_); " + branch(clause.depth + 1)
                stack.removeLast(types.count)
            }
            if emitCatch(tag: clause.tag, text) {
                catchesAll = true
                break
            }
        }
        if !catchesAll { emit(throwLocally("x_")) }
        leave()
    }

    /// A handler's clause: `code` runs for exceptions of `tag`, or of any tag when nil.
    /// Returns whether it takes every exception (so no later clause is reached).
    mutating func emitCatch(tag: Int?, _ code: String) -> Bool {
        if let tag {
            emit("if (x_->tag == inst->tags[\(tag)]) { \(code) }", scopes: 3)
            return false
        }
        emit("{ \(code) }", scopes: 1)
        return true
    }

    /// Legacy `catch TAG` or `catch_all`: ends the try body or the previous catch block,
    /// and starts a catch block, whose stack starts with the exception's values.
    mutating func legacyCatch(tag: Int?) throws {
        let top = frames.count - 1
        if frames[top].kind == .legacyTry {
            endTryBody()
            let enclosing = frames.filter { $0.kind == .legacyCatch }.count
            frames[top].exceptionVariable = enclosing
            exceptionVariables = max(exceptionVariables, enclosing + 1)
            frames[top].kind = .legacyCatch
        } else if reachable {
            materialize()
            frames[top].branchedTo = true
            gotos += 1
            emit("goto L\(frames[top].label);")
        }
        stack.removeLast(stack.count - frames[top].base)
        if let tag { stack += module.types[Int(module.tags[tag])].params }
        let label = newLabel()
        frames[top].catches.append((tag, label))
        frames[top].reachable = true
        body.append("C\(label):;\n")
    }

    /// A legacy try's `end`: its handler code, then its label.
    mutating func endLegacyTry() {
        let top = frames.count - 1
        if frames[top].kind == .legacyTry {
            endTryBody()
        } else if reachable {
            materialize()
            frames[top].branchedTo = true
            gotos += 1
            emit("goto L\(frames[top].label);")
            markUnreachable()
        }
        landing()
        let frame = frames[top]
        var catchesAll = false
        for (tag, label) in frame.catches {
            // A catch block a rethrow names keeps the exception (x<N>); others free it.
            var text = frame.rethrown ? "x\(frame.exceptionVariable) = wk_exception_retain(x_); " : ""
            if let tag {
                for (k, type) in module.types[Int(module.tags[tag])].params.enumerated() {
                    text += "\(slot(frame.base + k, type)) = x_->values[\(k)].\(type.valueField); "
                }
            }
            if !frame.rethrown { text += "wk_exception_done(x_); " }
            gotos += 1
            if emitCatch(tag: tag, text + "goto C\(label);") {
                catchesAll = true
                break
            }
        }
        if !catchesAll { emit(throwLocally("x_")) }
        leave()
    }

    /// Legacy `delegate`: ends the try; its handler passes the exception on to the code
    /// of the try body around label `depth` (counted from outside the try), or out of the
    /// function when no try body of this function is around it.
    mutating func delegate(depth: Int) {
        endTryBody()
        landing()
        let target = frames.count - 2 - depth
        if let around = frames[...target].last(where: { $0.handler != nil }) {
            emit("wk_handlers = h\(around.handler!).previous; goto H\(around.label);")
        } else {
            emit(leaveHandlers(from: 0) + "wk_throw_exception(x_);")
        }
        leave()
    }

    /// `throw TAG`: a new exception of the tag's values.
    mutating func throwException(tag: Int) {
        let params = module.types[Int(module.tags[tag])].params
        let from = stack.count - params.count
        var text = "{ wk_exception *e_ = wk_exception_new(inst->tags[\(tag)], \(params.count)); "
        for (k, type) in params.enumerated() { text += "e_->values[\(k)].\(type.valueField) = \(operand(from + k)); " }
        stack.removeLast(params.count)
        emit(text + throwLocally("e_") + " }", scopes: 1)
        markUnreachable()
    }

    /// `throw_ref`: traps on null.
    mutating func throwReference() {
        emit(throwLocally("wk_exnref(\(top()))"))
        stack.removeLast()
        markUnreachable()
    }

    /// Legacy `rethrow`: the exception of the catch block `depth` levels out.
    mutating func rethrow(depth: Int) {
        let target = frames.count - 1 - depth
        frames[target].rethrown = true
        emit(throwLocally("x\(frames[target].exceptionVariable)"))
        markUnreachable()
    }

    /// Declarations of the handlers, exception variables and saved locals.
    func exceptionDeclarations(locals: [ValueType]) -> String {
        var text = ""
        // With a shared jump buffer the C compiler sees every try's start reached from
        // every call (through `J_`), before the handlers it reads are set: they are
        // volatile and `r_` zeroed, which costs little and keeps its warnings quiet.
        if handlerCount > 0 {
            text += "    WK_UNUSED " + declaration("wk_handler", (0..<handlerCount).map { "h\($0)" }, volatile: sharesJumpBuffer) + "\n"
        }
        if sharesJumpBuffer { text += "    wk_handler hf;\n    int r_ = 0;\n    volatile int tf_ = 0;\n" }
        if catchesExceptions { text += "    WK_UNUSED wk_exception *x_;\n" }
        if exceptionVariables > 0 {
            text += "    WK_UNUSED " + declaration("wk_exception *", (0..<exceptionVariables).map { "x\($0) = NULL" }) + "\n"
        }
        guard !sharesJumpBuffer else { return text }
        // Zeroed, though only read after a save: the C compiler cannot know that.
        for local in keptLocals.sorted() {
            let type = locals[local].cType
            let declaration = type.hasSuffix("*") ? "\(type)volatile v\(local)" : "volatile \(type) v\(local)"
            text += "    WK_UNUSED \(declaration) = \(zero(locals[local]));\n"
        }
        return text
    }

    /// Fills in, once the function is lowered, the lines left for the tries: the jump
    /// buffers of the bodies that need one, and before each call that may throw in them
    /// the saves of the locals the body assigns (or, past `jumpBufferLimit`, the one jump
    /// buffer and the note of the try).
    mutating func finishTries() {
        guard !jumpTries.isEmpty else { return }
        // Reads after a try are known only now.
        for (label, frame) in finishedJumpTries { savedByTry[label] = keptAcrossLanding(frame) }
        keptLocals = savedByTry.values.reduce(into: []) { $0.formUnion($1) }
        sharesJumpBuffer = jumpTries.count > Self.jumpBufferLimit
        if sharesJumpBuffer { return finishTriesWithOneJumpBuffer() }
        for label in jumpTries {
            let handler = handlerOf[label]!
            let reloads = savedByTry[label]!.sorted().map { "l\($0) = v\($0); " }.joined()
            body[tryEntries[label]!] = "    if (_setjmp(h\(handler).jump)) { x_ = wk_caught; \(reloads)goto H\(label); }\n"
                + "    wk_handlers = &h\(handler);\n"
            scopes += 3
        }
        for (line, label) in throwSites {
            let saved = savedByTry[label] ?? []
            if !saved.isEmpty { body[line] = "    " + saved.sorted().map { "v\($0) = l\($0);" }.joined(separator: " ") + "\n" }
        }
    }

    private mutating func finishTriesWithOneJumpBuffer() {
        let jumping = Set(jumpTries)
        var returns = ""
        for label in jumpTries {
            // Inside another such try, `hf` is on the handler list already.
            let outermost = !triesAround[label]!.contains(where: jumping.contains)
            body[tryEntries[label]!] = "    r_ = \(label); goto J_;\nR\(label):;\n"
                + (outermost ? "    hf.previous = wk_handlers; wk_handlers = &hf;\n" : "")
            returns += " case \(label): goto R\(label);"
            gotos += 2
        }
        for (line, label) in throwSites { body[line] = "    tf_ = \(label);\n" }
        body.append("J_:;\n    if (_setjmp(hf.jump)) goto D_;\n    switch (r_) {\(returns) }\n")
        let landings = jumpTries.map { label in
            let inside = triesAround[label]!.contains(where: jumping.contains)
            return " case \(label): \(inside ? "wk_handlers = &hf; " : "")goto H\(label);"
        }
        body.append("D_:;\n    x_ = wk_caught;\n    switch (tf_) {" + landings.joined() + " }\n    __builtin_unreachable();\n")
        scopes += 6
        gotos += jumpTries.count
    }
}
