/* WasmKiln commands: the body of a WASI command executable's `main`.
 *
 * `wasmkiln build` writes a three-line `main` that passes the module and the grants
 * baked in at build time to wk_command_main, which adds the grants given at run time,
 * sets up WASI, instantiates the module and calls `_start`.
 *
 * Run-time grants come as leading options, recognised only when the first argument
 * starts with `--wasmkiln-` and ended by a required `--`:
 *
 *     app --wasmkiln-dir=HOST[::GUEST] --wasmkiln-env=NAME=VALUE --wasmkiln-inherit-env -- ARGS...
 *
 * Exit status: 0 when `_start` returns, the code given to `proc_exit`,
 * WK_COMMAND_TRAP_STATUS after a trap (`trap: MESSAGE` on standard error), 1 when it
 * cannot start.
 */
#ifndef WASMKILN_COMMAND_H
#define WASMKILN_COMMAND_H

#include "wasmkiln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* As wasmtime: 128 + SIGABRT. */
#define WK_COMMAND_TRAP_STATUS 134

/* What the module may reach, granted when it was built. Lists end with NULL. */
typedef struct wk_command_grants {
    const char *const *dir_host;  /* granted host directories… */
    const char *const *dir_guest; /* …and the names the module sees them by */
    const char *const *env;       /* NAME=VALUE */
    int inherit_env;              /* nonzero: the host's environment too */
    uint32_t max_memory_pages;    /* 0: no cap */
    uint64_t max_gc_heap_bytes;   /* 0: no cap on the GC heap */
} wk_command_grants;

/* Runs the command `module` with the program's arguments; returns the exit status. */
int wk_command_main(const wk_module *module, const wk_command_grants *grants, int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
