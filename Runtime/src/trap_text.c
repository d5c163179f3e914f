/* The spec's text of each trap: its own file, shared with the freestanding runtime. */
#include "wasmkiln.h"

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
    }
    return "unknown trap";
}
