import Testing
import CLowering

/// End-to-end checks of generated code: lower, compile with cc, run.
@Suite struct BackendTests {
    /// C that instantiates the module and calls an export `name` taking and returning i32.
    static func callI32(_ name: String, _ arguments: [UInt32]) -> String {
        """
        static uint32_t (*fn)(void *, uint32_t);
        static void *fn_instance;
        static uint32_t argument, result;
        static void body(void *context) { (void)context; result = fn(fn_instance, argument); }
        int main(void) {
            wk_error error;
            wk_instance *instance = wk_module_m.instantiate(NULL, &error);
            if (!instance) { printf("instantiate: %s\\n", error.message); return 1; }
            wk_extern function;
            if (!wk_module_m.get_export(instance, "\(name)", &function)) { printf("no export\\n"); return 1; }
            const wk_func *f = function.object;
            fn = (uint32_t (*)(void *, uint32_t))f->code;
            fn_instance = f->instance;
            uint32_t arguments[] = {\(arguments.map { "\($0)u" }.joined(separator: ", "))};
            for (unsigned k = 0; k < sizeof arguments / sizeof arguments[0]; k++) {
                argument = arguments[k];
                const char *message;
                wk_trap_code trap = wk_call_protected(body, NULL, &message);
                if (trap) printf("trap: %s\\n", wk_trap_text(trap)); else printf("%" PRIu32 "\\n", result);
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
            """, main: Self.callI32("fib", [0, 1, 10, 20]), boundsChecks: boundsChecks)
        let result = try module.run()
        #expect(result.output == "0\n1\n55\n6765\n")
        #expect(result.status == 0)
    }
}
