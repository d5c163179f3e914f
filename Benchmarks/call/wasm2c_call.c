/* Times calls to the empty export of nop.wat as compiled by wasm2c, bare and with
 * the per-call setjmp an embedder needs to survive a trap (wasm2c longjmps to it). */
#include "nop_w2c.h"
#include "wasm-rt-exceptions.h" /* wasm_rt_impl_try also sets the exception unwind target */
#include "wasm-rt-impl.h"
#include "timing.h"

int main(int argc, char **argv) {
    long n = calls_arg(argc, argv);
    wasm_rt_init();
    w2c_nop inst;
    wasm2c_nop_instantiate(&inst);

    /* Without a wasm_rt_impl_try point a trap would abort the process. */
    TIME_CALLS("wasm2c w2c_nop_nop (direct, no trap handling)", n, w2c_nop_nop(&inst));
    /* The counterpart of a WasmKiln protected call. */
    TIME_CALLS("wasm2c wasm_rt_impl_try + w2c_nop_nop (protected)", n,
               if (wasm_rt_impl_try() != 0) abort();
               w2c_nop_nop(&inst));

    wasm2c_nop_free(&inst);
    wasm_rt_free();
    return 0;
}
