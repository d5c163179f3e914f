/* Runs one wasm2c-translated module: init the runtime, instantiate, call _start, free.
 * Every module is translated with `wasm2c -n mod`, so the names below fit them all;
 * the modules import nothing, so no WASI layer is needed. */
#include "mod.h"
#include "wasm-rt-impl.h"

int main(void) {
    wasm_rt_init();
    w2c_mod instance;
    wasm2c_mod_instantiate(&instance);
    w2c_mod_0x5Fstart(&instance); /* a trap aborts the process (no try point): fine here */
    wasm2c_mod_free(&instance);
    wasm_rt_free();
    return 0;
}
