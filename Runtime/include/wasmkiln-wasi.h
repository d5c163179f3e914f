/* WasmKiln WASI: `wasi_snapshot_preview1` for command and reactor modules, as host
 * functions.
 *
 * A context holds what a module may see: its arguments, environment, and the host
 * directories granted to it (preopens). Nothing else of the host file system is
 * reachable: paths resolve beneath a preopen and never escape it. Every pointer and
 * length the module passes is checked against its memory (EFAULT, never a host fault).
 */
#ifndef WASMKILN_WASI_H
#define WASMKILN_WASI_H

#include "wasmkiln.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wk_wasi wk_wasi;

typedef struct wk_wasi_config {
    /* argv[0] is the program name the module sees. */
    int argc;
    const char *const *argv;
    /* "NAME=VALUE" entries. */
    int envc;
    const char *const *env;
    /* Granted directories: host path and the name the module sees it by. */
    int dir_count;
    const char *const *dir_host;
    const char *const *dir_guest;
    /* Host descriptors behind the module's 0, 1 and 2 (normally 0, 1, 2; -1 for none). */
    int stdin_fd, stdout_fd, stderr_fd;
    /* Or callbacks instead, to capture output or feed input without descriptors. When
     * `write_output` is set, the module's writes to its 1 and 2 call it with `stream` 1 or 2
     * (stdout_fd and stderr_fd are then unused); it returns how many bytes it took (all of
     * them normally; fewer is a short write) or -1 for an I/O error. When `read_input` is
     * set, reads of the module's 0 call it (stdin_fd unused); it stores at most `capacity`
     * bytes and returns how many, 0 at the end of input, or -1 for an I/O error. Both get
     * `io_context`, and run on the thread that called into the module. */
    long (*write_output)(void *io_context, int stream, const void *data, size_t length);
    long (*read_input)(void *io_context, void *buffer, size_t capacity);
    void *io_context;
} wk_wasi_config;

/* A context for one instance (each instance needs its own: the context refers to its
 * memory). NULL with a message when a granted directory cannot be opened. */
wk_wasi *wk_wasi_new(const wk_wasi_config *config, wk_error *error);
void wk_wasi_free(wk_wasi *wasi);

/* The host function implementing import `wasi_snapshot_preview1.<name>` (name is
 * `length` bytes), bound to this context; NULL for a name WASI does not define. */
const wk_func *wk_wasi_function(wk_wasi *wasi, const char *name, size_t length);

/* The module's exported memory: set after instantiation, before calling `_start`. (The
 * typed API's NAME_imports_use_wasi makes NAME_new do this.) */
void wk_wasi_set_memory(wk_wasi *wasi, wk_memory *memory);

/* After `_start` returned WK_TRAP_EXIT from wk_call_protected: the proc_exit status. */
int wk_wasi_exit_code(const wk_wasi *wasi);

#ifdef __cplusplus
}
#endif
#endif
