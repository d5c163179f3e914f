/* The conformance harness's hands in another process: it loads compiled spec modules,
 * instantiates them and calls their exports as the harness asks, for code the harness
 * cannot load itself (aarch64 code, run under qemu-user). Built for the target and
 * linked with the runtime; modules and the call stubs are dlopen'ed.
 *
 * One request per line on stdin, one answer per line on stdout (more lines where
 * said). Objects are named by their addresses in hex; names and messages are hex bytes,
 * since Wasm names may hold any byte. Values are a type letter and hex bits:
 * i/I/f/F (i32, i64, f32, f64), v (v128, low half first), r/e (funcref, externref).
 *
 *   load PATH PREFIX      ok MODULE IMPORTS EXPORTS, then a line "KIND MODULE NAME SIG"
 *                         per import and "KIND NAME SIG" per export (SIG "-" if none)
 *   stubs PATH            ok: a library of call stubs (wkstub_PARAMS_RESULTS) to call through
 *   spectest MODE         ok COUNT, then "NAME KIND OBJECT" per export of the spectest
 *                         module (MODE 0 guard pages, 1 explicit checks)
 *   instantiate MODULE KIND:OBJECT...   ok INSTANCE | trap CODE MESSAGE | error MESSAGE
 *   export MODULE INSTANCE NAME         ok KIND OBJECT | none
 *   call FUNC SIG VALUE...  ok VALUE... | trap CODE MESSAGE
 *   global GLOBAL         ok VALUE
 */
#include "wasmkiln.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_VALUES = 64 };

typedef void (*call_stub)(void *code, void *instance, const wk_value *arguments, wk_value *results);

/* ---- Encoding ---- */

static void put_hex(const char *bytes, size_t length) {
    if (length == 0) fputc('-', stdout);
    for (size_t i = 0; i < length; i++) printf("%02x", (unsigned char)bytes[i]);
}

/* Decodes hex text in place; "-" is the empty string. Returns the length. */
static size_t unhex(char *text) {
    if (strcmp(text, "-") == 0) {
        text[0] = 0;
        return 0;
    }
    size_t length = strlen(text) / 2;
    for (size_t i = 0; i < length; i++) {
        unsigned byte;
        sscanf(text + 2 * i, "%2x", &byte);
        text[i] = (char)byte;
    }
    text[length] = 0;
    return length;
}

static void answer_text(const char *verdict, const char *message) {
    printf("%s ", verdict);
    put_hex(message, strlen(message));
    putchar('\n');
}

static void put_value(char type, const wk_value *value) {
    switch (type) {
    case 'i': printf(" i%08" PRIx32, value->i32); break;
    case 'f': {
        uint32_t bits;
        memcpy(&bits, &value->f32, 4);
        printf(" f%08" PRIx32, bits);
        break;
    }
    case 'I': printf(" I%016" PRIx64, value->i64); break;
    case 'F': {
        uint64_t bits;
        memcpy(&bits, &value->f64, 8);
        printf(" F%016" PRIx64, bits);
        break;
    }
    case 'v': printf(" v%016" PRIx64 "%016" PRIx64, value->v128.lo, value->v128.hi); break;
    default: printf(" %c%" PRIxPTR, type, (uintptr_t)value->ref); break;
    }
}

static bool read_value(const char *text, wk_value *value) {
    memset(value, 0, sizeof *value);
    const char *bits = text + 1;
    switch (text[0]) {
    case 'i': value->i32 = (uint32_t)strtoul(bits, NULL, 16); return true;
    case 'I': value->i64 = strtoull(bits, NULL, 16); return true;
    case 'f': {
        uint32_t raw = (uint32_t)strtoul(bits, NULL, 16);
        memcpy(&value->f32, &raw, 4);
        return true;
    }
    case 'F': {
        uint64_t raw = strtoull(bits, NULL, 16);
        memcpy(&value->f64, &raw, 8);
        return true;
    }
    case 'v': {
        char half[17] = {0};
        if (strlen(bits) != 32) return false;
        memcpy(half, bits, 16);
        value->v128.lo = strtoull(half, NULL, 16);
        value->v128.hi = strtoull(bits + 16, NULL, 16);
        return true;
    }
    case 'r':
    case 'e': value->ref = (void *)(uintptr_t)strtoull(bits, NULL, 16); return true;
    default: return false;
    }
}

static void *object(const char *text) { return (void *)(uintptr_t)strtoull(text, NULL, 16); }

/* ---- Requests ---- */

/* The stub libraries loaded, one per signature. */
static void *stubs[4096];
static size_t stub_count;

static call_stub find_stub(const char *symbol) {
    for (size_t i = 0; i < stub_count; i++) {
        call_stub stub = (call_stub)dlsym(stubs[i], symbol);
        if (stub) return stub;
    }
    return NULL;
}

static void load_stubs(const char *path) {
    if (stub_count == sizeof stubs / sizeof stubs[0]) {
        answer_text("error", "too many stub libraries");
        return;
    }
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        answer_text("error", dlerror());
        return;
    }
    stubs[stub_count++] = library;
    puts("ok");
}


static void put_descriptor(const wk_extern_desc *desc, bool import) {
    printf("%d ", (int)desc->kind);
    if (import) {
        put_hex(desc->module, desc->module_length);
        putchar(' ');
    }
    put_hex(desc->name, desc->name_length);
    printf(" %s\n", desc->signature ? desc->signature : "-");
}

static void load(char *path, const char *prefix) {
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        answer_text("error", dlerror());
        return;
    }
    char symbol[256];
    snprintf(symbol, sizeof symbol, "wk_module_%s", prefix);
    const wk_module *module = dlsym(library, symbol);
    if (!module) {
        answer_text("error", "no wk_module symbol");
        return;
    }
    printf("ok %" PRIxPTR " %" PRIu32 " %" PRIu32 "\n", (uintptr_t)module, module->import_count, module->export_count);
    for (uint32_t i = 0; i < module->import_count; i++) put_descriptor(&module->imports[i], true);
    for (uint32_t i = 0; i < module->export_count; i++) put_descriptor(&module->exports[i], false);
}

static void print_none(void *instance) { (void)instance; }
static void print_i32(void *instance, uint32_t a) { (void)instance, (void)a; }
static void print_i64(void *instance, uint64_t a) { (void)instance, (void)a; }
static void print_f32(void *instance, float a) { (void)instance, (void)a; }
static void print_f64(void *instance, double a) { (void)instance, (void)a; }
static void print_i32_f32(void *instance, uint32_t a, float b) { (void)instance, (void)a, (void)b; }
static void print_f64_f64(void *instance, double a, double b) { (void)instance, (void)a, (void)b; }

static wk_func *host_function(void *code, const char *signature) {
    wk_func *function = calloc(1, sizeof *function);
    function->code = code;
    function->type_id = wk_type_id(signature);
    return function;
}

static wk_global *host_global(uint8_t type, wk_value value) {
    wk_global *global = calloc(1, sizeof *global);
    global->type = type;
    global->value = value;
    return global;
}

/* What the spec's scripts import from "spectest", made anew for each script. */
static void spectest(wk_bounds_mode mode) {
    wk_table *table64 = wk_table_new(WK_FUNCREF, 10, 20, NULL);
    table64->index64 = true;
    struct {
        const char *name;
        wk_extern_kind kind;
        void *object;
    } exports[] = {
        {"print", WK_EXTERN_FUNC, host_function((void *)print_none, ":")},
        {"print_i32", WK_EXTERN_FUNC, host_function((void *)print_i32, "i:")},
        {"print_i64", WK_EXTERN_FUNC, host_function((void *)print_i64, "I:")},
        {"print_f32", WK_EXTERN_FUNC, host_function((void *)print_f32, "f:")},
        {"print_f64", WK_EXTERN_FUNC, host_function((void *)print_f64, "F:")},
        {"print_i32_f32", WK_EXTERN_FUNC, host_function((void *)print_i32_f32, "if:")},
        {"print_f64_f64", WK_EXTERN_FUNC, host_function((void *)print_f64_f64, "FF:")},
        {"global_i32", WK_EXTERN_GLOBAL, host_global(WK_I32, (wk_value){.i32 = 666})},
        {"global_i64", WK_EXTERN_GLOBAL, host_global(WK_I64, (wk_value){.i64 = 666})},
        {"global_f32", WK_EXTERN_GLOBAL, host_global(WK_F32, (wk_value){.f32 = 666.6f})},
        {"global_f64", WK_EXTERN_GLOBAL, host_global(WK_F64, (wk_value){.f64 = 666.6})},
        {"table", WK_EXTERN_TABLE, wk_table_new(WK_FUNCREF, 10, 20, NULL)},
        {"table64", WK_EXTERN_TABLE, table64},
        {"memory", WK_EXTERN_MEMORY, wk_memory_new(1, 2, mode)},
        {"shared_memory", WK_EXTERN_MEMORY, wk_memory_new_shared(1, 2, mode)},
    };
    size_t count = sizeof exports / sizeof exports[0];
    printf("ok %zu\n", count);
    for (size_t i = 0; i < count; i++) {
        put_hex(exports[i].name, strlen(exports[i].name));
        printf(" %d %" PRIxPTR "\n", (int)exports[i].kind, (uintptr_t)exports[i].object);
    }
}

/* A protected body's state: only plain values, since a trap longjmps out of it. */
typedef struct pending {
    const wk_module *module;
    const wk_extern *imports;
    wk_error *error;
    wk_instance *instance;
    call_stub stub;
    const wk_func *function;
    const wk_value *arguments;
    wk_value *results;
} pending;

static void run_instantiate(void *context) {
    pending *call = context;
    call->instance = call->module->instantiate(call->imports, call->error);
}

static void run_call(void *context) {
    pending *call = context;
    call->stub(call->function->code, call->function->instance, call->arguments, call->results);
}

/* The trap's text as the harness reports it: the host's message or the spec's text. */
static bool trapped(wk_trap_code code, const char *host_message) {
    if (code == WK_TRAP_NONE) return false;
    char verdict[32];
    snprintf(verdict, sizeof verdict, "trap %d", (int)code);
    answer_text(verdict, code == WK_TRAP_HOST && host_message ? host_message : wk_trap_text(code));
    return true;
}

static void instantiate(char **words, int count) {
    wk_extern imports[MAX_VALUES];
    if (count - 2 > MAX_VALUES) {
        answer_text("error", "too many imports");
        return;
    }
    for (int i = 2; i < count; i++) {
        char *colon = strchr(words[i], ':');
        if (!colon) {
            answer_text("error", "bad import");
            return;
        }
        imports[i - 2] = (wk_extern){.kind = (wk_extern_kind)atoi(words[i]), .object = object(colon + 1)};
    }
    wk_error error = {0};
    pending call = {.module = object(words[1]), .imports = imports, .error = &error};
    const char *host_message = NULL;
    if (trapped(wk_call_protected(run_instantiate, &call, &host_message), host_message)) return;
    if (!call.instance) {
        answer_text("error", error.message[0] ? error.message : "instantiation failed");
        return;
    }
    printf("ok %" PRIxPTR "\n", (uintptr_t)call.instance);
}

static void get_export(const wk_module *module, wk_instance *instance, char *name) {
    size_t length = unhex(name);
    wk_extern found;
    if (!module->get_export(instance, name, length, &found) || !found.object) {
        puts("none");
        return;
    }
    printf("ok %d %" PRIxPTR "\n", (int)found.kind, (uintptr_t)found.object);
}

static void call(char **words, int count) {
    const char *signature = words[2];
    const char *colon = strchr(signature, ':');
    if (!colon || count - 3 != colon - signature || count - 3 > MAX_VALUES) {
        answer_text("error", "bad call");
        return;
    }
    char symbol[2 * MAX_VALUES + 16];
    snprintf(symbol, sizeof symbol, "wkstub_%.*s_%s", (int)(colon - signature), signature, colon + 1);
    call_stub stub = find_stub(symbol);
    if (!stub) {
        answer_text("error", "no call stub for this signature");
        return;
    }

    wk_value arguments[MAX_VALUES], results[MAX_VALUES];
    for (int i = 3; i < count; i++) {
        if (!read_value(words[i], &arguments[i - 3])) {
            answer_text("error", "bad value");
            return;
        }
    }
    pending pending_call = {.stub = stub, .function = object(words[1]), .arguments = arguments, .results = results};
    const char *host_message = NULL;
    if (trapped(wk_call_protected(run_call, &pending_call, &host_message), host_message)) return;
    printf("ok");
    for (const char *type = colon + 1; *type; type++) put_value(*type, &results[type - colon - 1]);
    putchar('\n');
}

static void global(const wk_global *global) {
    static const char letters[256] = {[WK_I32] = 'i', [WK_I64] = 'I', [WK_F32] = 'f', [WK_F64] = 'F',
                                      [WK_V128] = 'v', [WK_FUNCREF] = 'r', [WK_EXTERNREF] = 'e'};
    char letter = letters[global->type];
    if (!letter) {
        answer_text("error", "global of an unknown type");
        return;
    }
    printf("ok");
    put_value(letter, &global->value);
    putchar('\n');
}

int main(void) {
    static char line[1 << 20];
    char *words[MAX_VALUES + 8];
    while (fgets(line, sizeof line, stdin)) {
        int count = 0;
        for (char *word = strtok(line, " \n"); word && count < (int)(sizeof words / sizeof words[0]);
             word = strtok(NULL, " \n")) {
            words[count++] = word;
        }
        if (count == 0) continue;
        const char *request = words[0];
        if (strcmp(request, "load") == 0 && count == 3) {
            load(words[1], words[2]);
        } else if (strcmp(request, "stubs") == 0 && count == 2) {
            load_stubs(words[1]);
        } else if (strcmp(request, "spectest") == 0 && count == 2) {
            spectest(atoi(words[1]) ? WK_BOUNDS_EXPLICIT : WK_BOUNDS_GUARD);
        } else if (strcmp(request, "instantiate") == 0 && count >= 2) {
            instantiate(words, count);
        } else if (strcmp(request, "export") == 0 && count == 4) {
            get_export(object(words[1]), object(words[2]), words[3]);
        } else if (strcmp(request, "call") == 0 && count >= 3) {
            call(words, count);
        } else if (strcmp(request, "global") == 0 && count == 2) {
            global(object(words[1]));
        } else {
            answer_text("error", "unknown request");
        }
        fflush(stdout);
    }
    return 0;
}
