/* The texts of traps and their sites: their own file, shared with the freestanding runtime. */
#include "wasmkiln.h"

#ifdef WK_FREESTANDING
int wk_freestanding_snprintf(char *buffer, size_t size, const char *format, ...);
#define format_text wk_freestanding_snprintf
#else
#define format_text snprintf
#endif

const char *wk_trap_text(wk_trap_code code) {
    switch (code) {
    case WK_TRAP_NONE: return "no trap";
    case WK_TRAP_UNREACHABLE: return "unreachable";
    case WK_TRAP_DIVIDE_BY_ZERO: return "integer divide by zero";
    case WK_TRAP_INTEGER_OVERFLOW: return "integer overflow";
    case WK_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WK_TRAP_MEMORY_OUT_OF_BOUNDS: return "out of bounds memory access";
    case WK_TRAP_TABLE_OUT_OF_BOUNDS: return "out of bounds table access";
    case WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH: return "indirect call type mismatch";
    case WK_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WK_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WK_TRAP_CALL_STACK_EXHAUSTED: return "call stack exhausted";
    case WK_TRAP_HOST: return "host trap";
    case WK_TRAP_EXIT: return "exit";
    case WK_TRAP_EXCEPTION: return "uncaught exception";
    case WK_TRAP_NULL_REFERENCE: return "null exception reference";
    case WK_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
    case WK_TRAP_EXPECTED_SHARED_MEMORY: return "expected shared memory";
    case WK_TRAP_GC_HEAP_EXHAUSTED: return "GC heap exhausted";
    case WK_TRAP_NULL_FUNCTION_REFERENCE: return "null function reference";
    case WK_TRAP_NULL_DEREFERENCE: return "null reference";
    case WK_TRAP_NULL_STRUCT_REFERENCE: return "null structure reference";
    case WK_TRAP_NULL_ARRAY_REFERENCE: return "null array reference";
    case WK_TRAP_NULL_I31_REFERENCE: return "null i31 reference";
    case WK_TRAP_ARRAY_OUT_OF_BOUNDS: return "out of bounds array access";
    case WK_TRAP_CAST_FAILURE: return "cast failure";
    case WK_TRAP_WRONG_THREAD: return "an instance with GC types called on a thread other than the one that created it";
    }
    return "unknown trap";
}

const char *wk_trap_site_text(const wk_trap_site *site, char *buffer, size_t size) {
    if (size == 0) return buffer;
    if (!site) buffer[0] = 0;
    else if (site->file) format_text(buffer, size, "%s:%u", site->file, (unsigned)site->line);
    else format_text(buffer, size, "offset 0x%x", (unsigned)(site->function->offset + site->line - 1));
    return buffer;
}
