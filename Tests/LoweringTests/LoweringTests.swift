import Testing
import WAT
import WasmValidator
@testable import CLowering

/// End-to-end checks of generated code: lower, compile with cc, run.
@Suite struct LoweringTests {
    /// C that instantiates the module and makes each call in turn (an export taking and
    /// returning i32), printing its result or its trap; the process must live through all.
    static func calls(_ calls: [(export: String, argument: UInt32)]) -> String {
        let table = calls.map { "{\"\($0.export)\", \($0.argument)u}" }.joined(separator: ", ")
        return """
        #include <string.h>
        static uint32_t (*fn)(void *, uint32_t);
        static void *fn_instance;
        static uint32_t argument, result;
        static void body(void *context) { (void)context; result = fn(fn_instance, argument); }
        int main(void) {
            static const struct { const char *name; uint32_t argument; } calls[] = {\(table)};
            wk_error error;
            wk_instance *instance = wk_module_m.instantiate(NULL, &error);
            if (!instance) { printf("instantiate: %s\\n", error.message); return 1; }
            for (unsigned k = 0; k < sizeof calls / sizeof calls[0]; k++) {
                wk_extern function;
                if (!wk_module_m.get_export(instance, calls[k].name, strlen(calls[k].name), &function)) { printf("no export\\n"); return 1; }
                const wk_func *f = function.object;
                fn = (uint32_t (*)(void *, uint32_t))f->code;
                fn_instance = f->instance;
                argument = calls[k].argument;
                const char *message;
                wk_trap_code trap = wk_call_protected(body, NULL, &message);
                const char *where = trap ? wk_module_m.function_at(wk_trap_address()) : NULL;
                if (trap) printf("trap: %s in %s\\n", wk_trap_text(trap), where ? where : "?");
                else printf("%" PRIu32 "\\n", result);
            }
            wk_module_m.free(instance);
            return 0;
        }
        """
    }

    @Test(arguments: BoundsChecks.allCases)
    func recursionLoopsAndMemory(boundsChecks: BoundsChecks) throws {
        let module = try CompiledModule(wat: """
            (module
              (memory 1)
              (func $fib (export "fib") (param $n i32) (result i32)
                (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
                  (then (local.get $n))
                  (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                                 (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
              (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
                (block $done (loop $next
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (i32.store (i32.mul (local.get $i) (i32.const 4)) (local.get $i))
                  (local.set $s (i32.add (local.get $s) (i32.load (i32.mul (local.get $i) (i32.const 4)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $next)))
                (local.get $s))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """, main: Self.calls([("fib", 0), ("fib", 1), ("fib", 10), ("fib", 20), ("sum", 100)]), boundsChecks: boundsChecks)
        let result = try module.run()
        #expect(result.output == "0\n1\n55\n6765\n4950\n")
        #expect(result.status == 0)
    }

    /// Functions past `largeFunctionSize` go into `-large-` units (for another -O level);
    /// a small function in another unit still calls them.
    @Test func largeFunctionsGetUnitsOfTheirOwn() throws {
        let chain = String(repeating: "(i32.add (i32.const 3)) (i32.mul (i32.const 5)) ", count: 40)
        let module = try CompiledModule(wat: """
            (module
              (func $large (param i32) (result i32) (local.get 0) \(chain))
              (func (export "small") (param i32) (result i32) (i32.add (call $large (local.get 0)) (i32.const 1))))
            """, main: Self.calls([("small", 0)]), largeFunctionSize: 200)
        #expect(module.fileNames.filter { $0.hasPrefix("m-large-") } == ["m-large-0.c"])
        #expect(module.fileNames.contains("m-funcs-0.c"))
        var value: UInt32 = 0
        for _ in 0..<40 { value = (value &+ 3) &* 5 }
        #expect(try module.run().output == "\(value &+ 1)\n")
    }

    /// `call_indirect` through a table whose contents are known when compiling (defined,
    /// not exported, never written by an instruction, filled by segments at constant
    /// offsets with the module's own functions) reads a constant array; any other table
    /// goes through the instance. Both call, and trap, alike.
    @Test(arguments: BoundsChecks.allCases)
    func fixedTablesAreConstantArrays(boundsChecks: BoundsChecks) throws {
        let module = try CompiledModule(wat: """
            (module
              (type $unary (func (param i32) (result i32)))
              (table $fixed 4 funcref)
              (table $written 4 funcref)
              (elem (table $fixed) (i32.const 1) func $double $wide)
              (elem (table $written) (i32.const 1) func $double $wide)
              (elem declare func $triple)
              (func $double (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
              (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func $wide (result i64) (i64.const 7))
              (func (export "fixed") (param i32) (result i32) (call_indirect $fixed (type $unary) (i32.const 21) (local.get 0)))
              (func (export "written") (param i32) (result i32) (call_indirect $written (type $unary) (i32.const 21) (local.get 0)))
              (func (export "write") (param i32) (result i32) (table.set $written (local.get 0) (ref.func $triple)) (i32.const 0)))
            """, main: Self.calls([
                ("fixed", 1), ("fixed", 2), ("fixed", 0), ("fixed", 4),
                ("written", 1), ("written", 2), ("written", 0), ("written", 4), ("write", 0), ("written", 0),
            ]), boundsChecks: boundsChecks)
        let code = try module.fileNames.filter { $0.hasSuffix(".c") }.map {
            try String(contentsOf: module.directory.appendingPathComponent($0), encoding: .utf8)
        }.joined()
        #expect(code.contains("wk_fixed_indirect(m__table_0, 4u, "))
        #expect(!code.contains("m__table_1"))
        #expect(code.contains("wk_indirect(inst->tables[1], "))
        let traps = ["trap: indirect call type mismatch", "trap: uninitialized element", "trap: undefined element"]
        let output = try module.run().output.split(separator: "\n").map { $0.components(separatedBy: " in ")[0] }
        #expect(output == ["42"] + traps + ["42"] + traps + ["0", "63"])
    }

    /// With explicit bounds checks, accesses at one local's value with nothing between
    /// them that has an effect or may trap otherwise share one check, as wide as the
    /// widest: the first traps for all. A store, a branch or a trapping operation between
    /// them keeps their checks apart, so what happens before the trap stays the same.
    @Test func explicitChecksAtOneAddressMerge() throws {
        let module = try CompiledModule(wat: """
            (module
              (memory 1)
              (func (export "fields") (param i32) (result i32)
                (i32.add (i32.add (i32.load (local.get 0)) (i32.load offset=8 (local.get 0)))
                         (i32.load offset=4 (local.get 0))))
              (func (export "store_then_trap") (param i32) (result i32)
                (i32.store (local.get 0) (i32.const 7))
                (i32.load offset=65536 (local.get 0)))
              (func (export "stored") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "branch_first") (param i32) (result i32)
                (drop (i32.load (local.get 0)))
                (if (i32.eqz (local.get 0)) (then (return (i32.const 5))))
                (i32.load offset=65536 (local.get 0)))
              (func (export "divide_first") (param i32) (result i32)
                (i32.add (i32.load (local.get 0))
                         (i32.add (i32.div_u (i32.const 1) (local.get 0)) (i32.load offset=65536 (local.get 0))))))
            """, main: Self.calls([
                ("fields", 65524), ("fields", 65528), ("store_then_trap", 16), ("stored", 16),
                ("branch_first", 0), ("branch_first", 8), ("divide_first", 0),
            ]), boundsChecks: .explicit)
        let code = try String(contentsOf: module.directory.appendingPathComponent("m-funcs-0.c"), encoding: .utf8)
        let fields = code.components(separatedBy: "m__f0(void *instance_, WK_UNUSED")[1].components(separatedBy: "\n}\n")[0]
        #expect(fields.components(separatedBy: "wk_check_below(").count - 1 == 1)
        #expect(fields.contains("wk_check_below(ms0, (uint64_t)l0, 12ull);"))
        let output = try module.run().output.split(separator: "\n").map { $0.components(separatedBy: " in ")[0] }
        #expect(output == ["0", "trap: out of bounds memory access", "trap: out of bounds memory access", "7",
                           "5", "trap: out of bounds memory access", "trap: integer divide by zero"])
    }

    /// An immutable global defined with a constant is that constant in generated code;
    /// a mutable one is read from the instance.
    @Test func immutableGlobalsAreConstants() throws {
        let module = try CompiledModule(wat: """
            (module
              (global $fixed i32 (i32.const 42))
              (global $counter (mut i32) (i32.const 1))
              (global $scale f64 (f64.const 0.5))
              (func (export "read") (param i32) (result i32)
                (global.set $counter (i32.add (global.get $counter) (local.get 0)))
                (i32.add (i32.trunc_f64_s (f64.mul (global.get $scale) (f64.convert_i32_s (global.get $fixed))))
                         (global.get $counter))))
            """, main: Self.calls([("read", 1), ("read", 10)]))
        let code = try String(contentsOf: module.directory.appendingPathComponent("m-funcs-0.c"), encoding: .utf8)
        #expect(!code.contains("global_storage[0]") && !code.contains("global_storage[2]"))
        #expect(code.contains("global_storage[1]"))
        #expect(try module.run().output == "23\n33\n")
    }

    /// Exceptions propagate by return: a function with many try bodies around calls that
    /// may throw has no jump buffer and no volatile variable, and locals set in a body
    /// before a throw keep their values after it.
    @Test func exceptionsPropagateByReturn() throws {
        let round = """
            (local.set $caught (i32.add (local.get $caught) (block $h (result i32)
              (try_table (catch $e $h)
                (local.set $sum (i32.add (local.get $sum) (call $thrower (i32.const 0))))
                (local.set $sum (i32.add (local.get $sum) (call $thrower (local.get 0)))))
              (i32.const 0))))
            """
        let module = try CompiledModule(wat: """
            (module
              (tag $e (param i32))
              (func $thrower (param i32) (result i32)
                (if (local.get 0) (then (throw $e (local.get 0))))
                (i32.const 1))
              (func (export "run") (param i32) (result i32) (local $sum i32) (local $caught i32)
                \(String(repeating: round, count: 17))
                (i32.add (local.get $sum) (local.get $caught))))
            """, main: Self.calls([("run", 0), ("run", 5)]))
        let code = try String(contentsOf: module.directory.appendingPathComponent("m-funcs-0.c"), encoding: .utf8)
        #expect(!code.contains("setjmp") && !code.contains("volatile"))
        #expect(try module.run().output == "34\n102\n")
    }

    /// Calls that cannot throw are not followed by a check: in a WASI command (whose
    /// imports never throw), a module without throws has none; a library's imports may throw.
    @Test func onlyCallsThatMayThrowAreChecked() throws {
        let bytes = try wat2wasm("""
            (module
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (table 1 funcref)
              (func $leaf (result i32) (i32.const 1))
              (func (export "f") (result i32)
                (i32.add (call $yield) (i32.add (call $leaf) (call_indirect (result i32) (i32.const 0))))))
            """, features: [.referenceTypes, .exceptionHandling])
        let module = try decodeAndValidate(bytes)
        func checks(importsMayThrow: Bool) throws -> Int {
            let files = try CLowering.lower(module, options: LoweringOptions(prefix: "m", importsMayThrow: importsMayThrow))
            return files.map { $0.contents.components(separatedBy: "WK_THROWN()").count - 1 }.reduce(0, +)
        }
        #expect(try checks(importsMayThrow: false) == 0)
        // After the import call and the indirect call (the table may hold the import).
        #expect(try checks(importsMayThrow: true) == 2)
    }

    /// Constants and local.get are used where they are consumed rather than copied: a
    /// value read from a local must keep what the local held then, across later writes
    /// to it and where control flow joins.
    @Test func localValuesReadBeforeAWriteKeepTheirValue() throws {
        let module = try CompiledModule(wat: """
            (module
              (func (export "set") (param i32) (result i32)
                (local.get 0) (local.set 0 (i32.const 5)) (local.get 0) (i32.sub))
              (func (export "tee") (param i32) (result i32)
                (local.get 0) (local.tee 0 (i32.const 7)) (i32.sub))
              (func (export "joined") (param i32) (result i32)
                (local.get 0)
                (if (i32.eqz (local.get 0)) (then (local.set 0 (i32.const 100))))
                (local.get 0) (i32.add))
              (func (export "block_result") (param i32) (result i32)
                (block (result i32) (br_if 0 (i32.const 4) (local.get 0)) (drop) (i32.const 8)))
              (func (export "select") (param i32) (result i32)
                (select (i32.const 1) (local.get 0) (local.get 0)))
              (func (export "loop") (param i32) (result i32) (local i32)
                (local.get 0)
                (loop $again (param i32) (result i32)
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br_if $again (i32.add (local.get 1)) (local.get 0)))
                (i32.add (local.get 1))))
            """, main: Self.calls([("set", 20), ("tee", 20), ("joined", 3), ("joined", 0), ("block_result", 1),
                                   ("block_result", 0), ("select", 0), ("select", 9), ("loop", 3)]))
        let result = try module.run()
        // loop: 3 + 1 + 2 + 3 carried through the loop's parameter, then + 3.
        #expect(result.output == "15\n13\n6\n100\n4\n8\n0\n1\n12\n")
        #expect(result.status == 0)
    }

    /// Each trap is reported with the spec's text, and the host goes on to the next call.
    @Test(arguments: BoundsChecks.allCases)
    func trapsLeaveTheHostAlive(boundsChecks: BoundsChecks) throws {
        let module = try CompiledModule(wat: """
            (module
              (memory 1 2)
              (type $unary (func (param i32) (result i32)))
              (type $nullary (func (result i64)))
              (table 3 funcref)
              (elem (i32.const 0) $identity $wide)
              (func $identity (param i32) (result i32) (local.get 0))
              (func $wide (result i64) (i64.const 7))
              (func (export "far_load") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0)))
              (func (export "dropped_load") (param i32) (result i32) (drop (i32.load (local.get 0))) (i32.const 1))
              (func $recurse (export "recurse") (param i32) (result i32) (i32.add (call $recurse (local.get 0)) (i32.const 1)))
              (func $runaway (export "runaway") (param i32) (result i32) (call $runaway (local.get 0)))
              (func (export "indirect") (param i32) (result i32) (call_indirect (type $unary) (local.get 0) (local.get 0)))
              (func (export "divide") (param i32) (result i32) (i32.div_s (i32.const 0x80000000) (local.get 0)))
              (func (export "truncate") (param i32) (result i32) (i32.trunc_f32_s (f32.reinterpret_i32 (local.get 0))))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (param i32) (result i32) (memory.size))
              (func (export "unreachable") (param i32) (result i32) (unreachable)))
            """, main: Self.calls([
                ("far_load", 0xFFFF_FFFF), ("far_load", 0), ("dropped_load", 65536), ("dropped_load", 65532),
                ("recurse", 0), ("recurse", 1), ("runaway", 0),
                ("indirect", 0), ("indirect", 1), ("indirect", 2), ("indirect", 5),
                ("divide", 0), ("divide", 0xFFFF_FFFF), ("divide", 2),
                ("truncate", 0x7FC0_0000), ("truncate", 0x4F00_0000), ("truncate", 0xC2F6_E979),
                ("grow", 2), ("grow", 1), ("size", 0), ("grow", 1), ("unreachable", 0),
            ]), boundsChecks: boundsChecks)
        let result = try module.run()
        #expect(result.status == 0)
        // Each trap names the function it happened in, from the trap's code address.
        #expect(result.output.split(separator: "\n").map(String.init) == [
            "trap: out of bounds memory access in func 2 (far_load)", "trap: out of bounds memory access in func 2 (far_load)",
            "trap: out of bounds memory access in func 3 (dropped_load)", "1",
            "trap: call stack exhausted in func 4 (recurse)", "trap: call stack exhausted in func 4 (recurse)",
            "trap: call stack exhausted in func 5 (runaway)",
            "0", "trap: indirect call type mismatch in func 6 (indirect)", "trap: uninitialized element in func 6 (indirect)",
            "trap: undefined element in func 6 (indirect)",
            "trap: integer divide by zero in func 7 (divide)", "trap: integer overflow in func 7 (divide)", "3221225472",
            "trap: invalid conversion to integer in func 8 (truncate)", "trap: integer overflow in func 8 (truncate)", "4294967173",
            "4294967295", "1", "2", "4294967295", "trap: unreachable in func 11 (unreachable)",
        ])
    }
}
