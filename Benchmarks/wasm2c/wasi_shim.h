/* A minimal WASI (wasi_snapshot_preview1) layer for wasm2c-translated commands, enough
 * for wasi-libc programs that compute, allocate and print: see wasi_shim.c. */
#ifndef WASI_SHIM_H
#define WASI_SHIM_H

#include "wasm-rt.h"

/* The import-module instance wasm2c passes to every w2c_wasi__snapshot__preview1_* call. */
struct w2c_wasi__snapshot__preview1 {
    wasm_rt_memory_t *memory; /* the module's exported "memory", set after instantiating */
    int argc;                 /* what args_get passes on: the host's argv */
    char **argv;
};

#endif
