/* The execution side of Scripts/fuzz: runs calls on modules that WasmKiln compiled into
 * this program, through the runtime's generic API (wasmkiln.h), as an embedder would.
 *
 * The program that links this file defines the modules:
 *     const wk_module *const fuzz_modules[]; const unsigned fuzz_module_count;
 * Commands come one per line on standard input; each prints one line on standard output,
 * flushed, so that a crash shows which command caused it.
 *     M <k>                    instantiate module k (the previous instance is freed)
 *                              -> "ok" | "error <code>" | "trap <kind>"
 *     C <name> <sig> <arg>...  call the function export <name> (its bytes in hex, "-" for
 *                              the empty name) of signature <sig> (wk_type_id form, such
 *                              as "iI:f") with the arguments' bits in hex
 *                              -> "ok <value>..." | "trap <kind>" | "missing"
 *     G <name>                 read the global export <name> -> "ok <value>" | "missing"
 * Values print as bits in hex for numbers, "null" or "func" for funcref, "null" or the
 * host value in hex for externref (arguments of reference type are host values, 0 for
 * null). Trap kinds are short names shared with the wasmtime side of Scripts/fuzz. */
#include "wasmkiln.h"

#include <ffi.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const wk_module *const fuzz_modules[];
extern const unsigned fuzz_module_count;

enum { MAX_VALUES = 64 };

static const char *trap_kind(wk_trap_code code) {
    switch (code) {
    case WK_TRAP_UNREACHABLE: return "unreachable";
    case WK_TRAP_DIVIDE_BY_ZERO: return "divide";
    case WK_TRAP_INTEGER_OVERFLOW: return "overflow";
    case WK_TRAP_INVALID_CONVERSION: return "conversion";
    case WK_TRAP_MEMORY_OUT_OF_BOUNDS: return "memory";
    /* wasmtime has one code for both: a table index out of range. */
    case WK_TRAP_TABLE_OUT_OF_BOUNDS: return "table";
    case WK_TRAP_UNDEFINED_ELEMENT: return "table";
    case WK_TRAP_UNINITIALIZED_ELEMENT: return "null";
    case WK_TRAP_INDIRECT_CALL_TYPE_MISMATCH: return "signature";
    case WK_TRAP_CALL_STACK_EXHAUSTED: return "stack";
    case WK_TRAP_EXCEPTION: return "exception";
    case WK_TRAP_NULL_REFERENCE: return "null-reference";
    case WK_TRAP_UNALIGNED_ATOMIC: return "misaligned";
    case WK_TRAP_EXPECTED_SHARED_MEMORY: return "unshared-wait";
    case WK_TRAP_GC_HEAP_EXHAUSTED: return "gc-heap";
    /* wasmtime has one code for every null reference. */
    case WK_TRAP_NULL_FUNCTION_REFERENCE: return "null-reference";
    case WK_TRAP_NULL_DEREFERENCE: return "null-reference";
    case WK_TRAP_NULL_STRUCT_REFERENCE: return "null-reference";
    case WK_TRAP_NULL_ARRAY_REFERENCE: return "null-reference";
    case WK_TRAP_NULL_I31_REFERENCE: return "null-reference";
    case WK_TRAP_ARRAY_OUT_OF_BOUNDS: return "array-bounds";
    case WK_TRAP_CAST_FAILURE: return "cast";
    default: return "other";
    }
}

static ffi_type *ffi_of(char letter) {
    switch (letter) {
    case 'i': return &ffi_type_uint32;
    case 'I': return &ffi_type_uint64;
    case 'f': return &ffi_type_float;
    case 'F': return &ffi_type_double;
    case 'r': case 'e': return &ffi_type_pointer;
    default: return NULL; /* v128 is not fuzzed yet */
    }
}

/* A prepared call: the signature split, the libffi interface, the results' offsets. */
typedef struct call_shape {
    char params[MAX_VALUES], results[MAX_VALUES];
    unsigned param_count, result_count;
    ffi_cif cif;
    ffi_type *arguments[MAX_VALUES + 1];
    ffi_type structure, *fields[MAX_VALUES + 1];
    size_t offsets[MAX_VALUES];
} call_shape;

static bool prepare(call_shape *shape, const char *signature) {
    const char *colon = strchr(signature, ':');
    if (!colon) return false;
    shape->param_count = (unsigned)(colon - signature);
    shape->result_count = (unsigned)strlen(colon + 1);
    if (shape->param_count >= MAX_VALUES || shape->result_count >= MAX_VALUES) return false;
    memcpy(shape->params, signature, shape->param_count);
    memcpy(shape->results, colon + 1, shape->result_count);
    shape->arguments[0] = &ffi_type_pointer;
    for (unsigned k = 0; k < shape->param_count; k++) {
        if (!(shape->arguments[k + 1] = ffi_of(shape->params[k]))) return false;
    }
    ffi_type *result = &ffi_type_void;
    if (shape->result_count == 1) {
        if (!(result = ffi_of(shape->results[0]))) return false;
    } else if (shape->result_count > 1) {
        for (unsigned k = 0; k < shape->result_count; k++) {
            if (!(shape->fields[k] = ffi_of(shape->results[k]))) return false;
        }
        shape->fields[shape->result_count] = NULL;
        shape->structure = (ffi_type){.type = FFI_TYPE_STRUCT, .elements = shape->fields};
        result = &shape->structure;
    }
    if (ffi_prep_cif(&shape->cif, FFI_DEFAULT_ABI, shape->param_count + 1, result, shape->arguments) != FFI_OK) return false;
    if (shape->result_count > 1 && ffi_get_struct_offsets(FFI_DEFAULT_ABI, result, shape->offsets) != FFI_OK) return false;
    if (shape->result_count == 1) shape->offsets[0] = 0;
    return true;
}

typedef struct pending_call {
    call_shape *shape;
    const wk_func *function;
    void *arguments[MAX_VALUES + 1];
    void *instance;
    wk_value values[MAX_VALUES];
    /* The return value: a struct of results, or one widened to at least ffi_arg. */
    _Alignas(16) unsigned char returned[MAX_VALUES * 16];
} pending_call;

static void run_call(void *context) {
    pending_call *call = context;
    ffi_call(&call->shape->cif, FFI_FN(call->function->code), call->returned, call->arguments);
}

static void print_value(char type, const void *bits) {
    switch (type) {
    case 'i': printf(" %" PRIx32, *(const uint32_t *)bits); break;
    case 'f': printf(" %" PRIx32, *(const uint32_t *)bits); break;
    case 'I': case 'F': printf(" %" PRIx64, *(const uint64_t *)bits); break;
    case 'r': printf(" %s", *(void *const *)bits ? "func" : "null"); break;
    case 'e': {
        void *ref = *(void *const *)bits;
        if (ref) printf(" %" PRIxPTR, (uintptr_t)ref); else printf(" null");
        break;
    }
    default: printf(" ?");
    }
}

/* Decodes a hex name ("-" is empty) into `out`; its length. */
static size_t decode_name(const char *hex, char *out, size_t capacity) {
    if (strcmp(hex, "-") == 0) return 0;
    size_t length = strlen(hex) / 2;
    if (length > capacity) length = capacity;
    for (size_t k = 0; k < length; k++) {
        unsigned byte;
        sscanf(hex + 2 * k, "%2x", &byte);
        out[k] = (char)byte;
    }
    return length;
}

typedef struct pending_instance {
    const wk_module *module;
    wk_instance *instance;
    wk_error error;
} pending_instance;

static void run_instantiate(void *context) {
    pending_instance *pending = context;
    pending->instance = pending->module->instantiate_with(NULL, NULL, &pending->error);
}

int main(void) {
    static char line[1 << 16];
    static char name[1 << 15];
    static call_shape shapes[256];
    static char shape_signatures[256][2 * MAX_VALUES + 2];
    unsigned shape_count = 0;
    const wk_module *module = NULL;
    wk_instance *instance = NULL;

    while (fgets(line, sizeof line, stdin)) {
        char *save = NULL;
        char *command = strtok_r(line, " \n", &save);
        if (!command) continue;
        if (strcmp(command, "M") == 0) {
            if (instance) module->free(instance);
            instance = NULL;
            unsigned index = (unsigned)strtoul(strtok_r(NULL, " \n", &save), NULL, 10);
            if (index >= fuzz_module_count) { printf("error no such module\n"); fflush(stdout); continue; }
            pending_instance pending = {.module = fuzz_modules[index]};
            module = pending.module;
            wk_trap_code trap = wk_call_protected(run_instantiate, &pending, NULL);
            instance = pending.instance;
            if (trap != WK_TRAP_NONE) printf("trap %s\n", trap_kind(trap));
            else if (!instance) printf("error %d %s\n", (int)pending.error.code, pending.error.message);
            else printf("ok\n");
        } else if (!instance) {
            printf("error no instance\n");
        } else if (strcmp(command, "C") == 0 || strcmp(command, "G") == 0) {
            size_t length = decode_name(strtok_r(NULL, " \n", &save), name, sizeof name);
            wk_extern found;
            if (!module->get_export(instance, name, length, &found)) { printf("missing\n"); fflush(stdout); continue; }
            if (command[0] == 'G') {
                const wk_global *global = found.object;
                if (found.kind != WK_EXTERN_GLOBAL) { printf("missing\n"); fflush(stdout); continue; }
                printf("ok");
                print_value((char)(global->type == WK_I32 ? 'i' : global->type == WK_I64 ? 'I' : global->type == WK_F32 ? 'f'
                                   : global->type == WK_F64 ? 'F' : global->type == WK_FUNCREF ? 'r' : 'e'), &global->value);
                printf("\n");
                fflush(stdout);
                continue;
            }
            const char *signature = strtok_r(NULL, " \n", &save);
            if (found.kind != WK_EXTERN_FUNC || !signature) { printf("missing\n"); fflush(stdout); continue; }
            call_shape *shape = NULL;
            for (unsigned k = 0; k < shape_count; k++) {
                if (strcmp(shape_signatures[k], signature) == 0) shape = &shapes[k];
            }
            if (!shape) {
                if (shape_count == 256 || strlen(signature) >= sizeof shape_signatures[0]
                    || !prepare(&shapes[shape_count], signature)) {
                    printf("error unsupported signature %s\n", signature);
                    fflush(stdout);
                    continue;
                }
                strcpy(shape_signatures[shape_count], signature);
                shape = &shapes[shape_count++];
            }
            static pending_call call;
            memset(&call, 0, sizeof call);
            call.shape = shape;
            call.function = found.object;
            call.instance = call.function->instance;
            call.arguments[0] = &call.instance;
            for (unsigned k = 0; k < shape->param_count; k++) {
                const char *text = strtok_r(NULL, " \n", &save);
                uint64_t bits = text ? strtoull(text, NULL, 16) : 0;
                switch (shape->params[k]) {
                case 'i': case 'f': call.values[k].i32 = (uint32_t)bits; break;
                case 'r': case 'e': call.values[k].ref = (void *)(uintptr_t)bits; break;
                default: call.values[k].i64 = bits;
                }
                call.arguments[k + 1] = &call.values[k];
            }
            wk_trap_code trap = wk_call_protected(run_call, &call, NULL);
            if (trap != WK_TRAP_NONE) {
                printf("trap %s\n", trap_kind(trap));
            } else {
                printf("ok");
                for (unsigned k = 0; k < shape->result_count; k++) print_value(shape->results[k], call.returned + shape->offsets[k]);
                printf("\n");
            }
        } else {
            printf("error unknown command %s\n", command);
        }
        fflush(stdout);
    }
    if (instance) module->free(instance);
    return 0;
}
