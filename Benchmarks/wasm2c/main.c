/* Runs one wasm2c-translated WASI command: `wasm2c -n mod X.wasm -o mod.c`, then
 *   cc -O2 -I. -I$RUNTIME -I<this folder> mod.c main.c wasi_shim.c
 *      $RUNTIME/wasm-rt-impl.c $RUNTIME/wasm-rt-mem-impl.c $RUNTIME/wasm-rt-exceptions-impl.c -lm
 * Exit status: 0 when _start returns, the proc_exit code when the module exits (the shim
 * calls exit()), 134 after a trap (printed as `trap: MESSAGE` on stderr, as a WasmKiln
 * executable does). Bounds checks are wasm2c's default: guard pages on 64-bit hosts. */
#include <stdio.h>

#include "mod.h"
#include "wasi_shim.h"
#include "wasm-rt-exceptions.h" /* wasm_rt_impl_try needs wasm_rt_set_unwind_target */
#include "wasm-rt-impl.h"

int main(int argc, char **argv) {
    static w2c_mod instance; /* static: a module instance can be large */
    struct w2c_wasi__snapshot__preview1 wasi = {NULL, argc, argv};
    volatile int status = 0; /* volatile: set after the longjmp of a trap */
    wasm_rt_init();
    wasm2c_mod_instantiate(&instance, &wasi);
    wasi.memory = w2c_mod_memory(&instance);
    wasm_rt_trap_t trap = wasm_rt_impl_try();
    if (trap == WASM_RT_TRAP_NONE) {
        w2c_mod_0x5Fstart(&instance);
    } else {
        fflush(stdout);
        fprintf(stderr, "trap: %s\n", wasm_rt_strerror(trap));
        status = 134;
    }
    wasm2c_mod_free(&instance);
    wasm_rt_free();
    return status;
}
