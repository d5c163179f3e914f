/* Times calls to the empty export of nop.wat through WasmKiln's typed C API.
 * Both calls are protected: a trap would come back as a value, never unwind here. */
#include "nop.h"
#include "timing.h"

int main(int argc, char **argv) {
    long n = calls_arg(argc, argv);
    wk_error error;
    nop *inst = nop_new(NULL, NULL, &error);
    if (!inst) {
        fprintf(stderr, "nop_new: %s\n", error.message);
        return 1;
    }

    TIME_CALLS("WasmKiln nop_nop (protected)", n, nop_nop(inst));
    /* Checking each result keeps the returned wk_result live, as a real caller would. */
    TIME_CALLS("WasmKiln nop_try_nop (protected, result checked)", n,
               if (nop_try_nop(inst).trap != WK_TRAP_NONE) abort());

    if (nop_trap(inst).trap != WK_TRAP_NONE) abort();
    nop_free(inst);
    return 0;
}
