import WasmDecoder

/// A try_table catch clause: `catch`, `catch_ref`, `catch_all`, `catch_all_ref`.
struct CatchClause {
    var tag: Int?
    var keepsReference: Bool
    /// The label, counted from outside the try_table.
    var depth: Int
}

/// Exceptions, propagated by return (Exceptions in wasmkiln-gen.h).
///
/// A throw in the function's own code (`throw`, `throw_ref`, `rethrow`, `delegate`, or
/// a handler that takes nothing) inside a try body jumps straight to that try's code,
/// `H<label>`, which picks the catch clause by tag and branches to its label with the
/// exception's values; outside any, it leaves the exception in `wk_pending` and returns.
/// After each call that may throw (`mayThrow`), a check of `wk_pending` goes to
/// `P<label>`, which takes the exception and goes on to `H<label>`, or returns outside
/// try bodies. No jump buffers: the values of locals and stack slots are what they were
/// when the call returned, so nothing is kept in memory, and code outside try bodies is
/// unchanged but for the checks.
extension FunctionLowering {
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

    /// Opens the innermost frame's try body.
    mutating func startTry() {
        catchesExceptions = true
        activeTries.append(frames.count - 1)
    }

    /// After a call that may throw: if it did, to the innermost try body's landing, or
    /// out of the function.
    mutating func checkThrown() {
        guard let innermost = activeTries.last else {
            emit("if (WK_THROWN()) \(propagation);", scopes: 2)
            return
        }
        frames[innermost].callsMayThrow = true
        gotos += 1
        emit("if (WK_THROWN()) goto P\(frames[innermost].label);", scopes: 2)
    }

    /// Leaves a function with an exception pending: a return the caller's check ignores.
    static func propagation(results: [ValueType], trampolined: Bool, names: CNames) -> String {
        if trampolined || results.isEmpty { return "return" }
        if results.count == 1 { return "return \(zero(results[0], assigned: true))" }
        return "return (\(names.returnType(results))){0}"
    }

    /// Throws `exception` (a C expression) to this function's caller.
    func throwOut(_ exception: String) -> String {
        "wk_pending = \(exception); \(propagation);"
    }

    /// Throws `exception` (a C expression) from this function's code: to the code of the
    /// innermost try around, or out of the function with the exception pending.
    func throwLocally(_ exception: String) -> String {
        guard let innermost = activeTries.last else { return throwOut(exception) }
        let keep = exception == "x_" ? "" : "x_ = \(exception); "
        return keep + "goto H\(frames[innermost].label);"
    }

    /// Ends the innermost try body: falls through to the end of the try.
    mutating func endTryBody() {
        let top = frames.count - 1
        if reachable {
            materialize()
            frames[top].branchedTo = true
            gotos += 1
            emit("goto L\(frames[top].label);")
        }
        activeTries.removeLast()
        markUnreachable()
    }

    /// Where throws into the innermost try land, with the exception in `x_`: from a
    /// call, `P<label>` takes it first.
    mutating func landing() {
        let frame = frames[frames.count - 1]
        if frame.callsMayThrow {
            directLine()
            body.append("P\(frame.label): x_ = wk_take_pending();\n")
        }
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
        if let around = activeTries.last(where: { $0 <= target }) {
            emit("goto H\(frames[around].label);")
        } else {
            emit(throwOut("x_"))
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

    /// Declarations of the exception variables.
    func exceptionDeclarations() -> String {
        var text = ""
        if catchesExceptions { text += "    WK_UNUSED wk_exception *x_;\n" }
        if exceptionVariables > 0 {
            text += "    WK_UNUSED " + declaration("wk_exception *", (0..<exceptionVariables).map { "x\($0) = NULL" }) + "\n"
        }
        return text
    }
}
