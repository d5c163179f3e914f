/* The body of a WASI command executable's `main` (wasmkiln-command.h): grants from the
 * command line, WASI, instantiation, `_start`, wasi-threads, the exit status and the
 * memory reports the environment asks for. */
#include "internal.h"
#include "wasmkiln-command.h"
#include "wasmkiln-gc.h"
#include "wasmkiln-wasi.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define WASI_MODULE "wasi_snapshot_preview1"

typedef struct list {
    const char **items;
    int count;
} list;

static void add(list *to, const char *item) {
    to->items = realloc(to->items, (size_t)(to->count + 1) * sizeof *to->items);
    if (!to->items) {
        perror("wasmkiln");
        exit(1);
    }
    to->items[to->count++] = item;
}

/* NAME=VALUE, replacing an earlier entry with the same NAME: later grants win. */
static void set_env(list *env, const char *entry) {
    size_t name = strcspn(entry, "=");
    for (int i = 0; i < env->count; i++) {
        if (strncmp(env->items[i], entry, name + 1) == 0) {
            env->items[i] = entry;
            return;
        }
    }
    add(env, entry);
}

/* HOST[::GUEST]; the module sees the host path when no guest name is given. */
static void add_dir(list *hosts, list *guests, const char *text) {
    const char *separator = strstr(text, "::");
    if (!separator) {
        add(hosts, text);
        add(guests, text);
        return;
    }
    add(hosts, strndup(text, (size_t)(separator - text)));
    add(guests, separator + 2);
}

static int starts_with(const char *text, const char *prefix) {
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* A size as the options take it (256MiB, 1GiB, 512KiB, bytes), up to 4 GiB (and at most
 * 2^40 bytes). */
static int parse_size(const char *text, unsigned long long *bytes) {
    char *end;
    errno = 0;
    unsigned long long number = strtoull(text, &end, 10);
    if (end == text || errno || *text == '-') return 0;
    unsigned long long scale = 1;
    if (strcmp(end, "KiB") == 0 || strcmp(end, "K") == 0) scale = 1ull << 10;
    else if (strcmp(end, "MiB") == 0 || strcmp(end, "M") == 0) scale = 1ull << 20;
    else if (strcmp(end, "GiB") == 0 || strcmp(end, "G") == 0) scale = 1ull << 30;
    else if (*end && strcmp(end, "B") != 0) return 0;
    if (number > (1ull << 40) / scale) return 0;
    *bytes = number * scale;
    return 1;
}

/* SIZE as --max-memory takes it, in whole pages. */
static int parse_pages(const char *text, uint32_t *pages) {
    unsigned long long bytes;
    if (!parse_size(text, &bytes) || bytes > (1ull << 32) || bytes < 65536 || bytes % 65536) return 0;
    *pages = (uint32_t)(bytes / 65536);
    return 1;
}

/* Memory reports the environment asks for: WASMKILN_MEMORY_STATS=text|json (to
 * standard error) or text:FILE|json:FILE, WASMKILN_MEMORY_TRACE=FILE.csv,
 * WASMKILN_MEMORY_PLOT=FILE.svg. A module with several memories gets a report on
 * each: text under a heading per memory, JSON as an array of {memory, name, report},
 * traces and plots in files of their own (FILE.memoryN.csv for memory N > 0). */
static void report_failed(const char *path) {
    fprintf(stderr, "wasmkiln: cannot write the memory report to %s\n", path ? path : "standard error");
}

/* A name section's name as a JSON string (null when there is none). */
static void write_json_string(FILE *file, const char *text) {
    if (!text) {
        fputs("null", file);
        return;
    }
    fputc('"', file);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\') fprintf(file, "\\%c", *c);
        else if (*c < 0x20) fprintf(file, "\\u%04x", *c);
        else fputc(*c, file);
    }
    fputc('"', file);
}

static void write_stats(const wk_module *module, wk_instance *instance, const char *path, wk_report_format format) {
    FILE *file = path ? fopen(path, "w") : stderr;
    if (!file) {
        report_failed(path);
        return;
    }
    uint32_t count = module->memory_count;
    int ok = 1;
    /* A module with GC types: its memories' report, then the GC heap's (in JSON, an
     * object {"memory": …, "gc": …}). */
    if (module->uses_gc && format == WK_REPORT_JSON) fputs("{\"memory\":\n", file);
    if (count == 1) {
        ok = wk_memory_report(file, module->memory_at(instance, 0), module, format);
    } else {
        if (format == WK_REPORT_JSON) fputs("[\n", file);
        for (uint32_t k = 0; k < count && ok; k++) {
            const char *name = module->memory_name(k);
            if (format == WK_REPORT_JSON) {
                fprintf(file, "%s{\"memory\": %u, \"name\": ", k ? ",\n" : "", k);
                write_json_string(file, name);
                fputs(", \"report\":\n", file);
            } else {
                fprintf(file, "%s== memory %u%s%s%s ==\n", k ? "\n" : "", k, name ? " (" : "", name ? name : "", name ? ")" : "");
            }
            ok = wk_memory_report(file, module->memory_at(instance, k), module, format);
            if (format == WK_REPORT_JSON) fputs("}", file);
        }
        if (format == WK_REPORT_JSON) fputs("\n]\n", file);
        ok = ok && fflush(file) == 0 && !ferror(file);
    }
    if (module->uses_gc && ok) {
        fputs(format == WK_REPORT_JSON ? ", \"gc\":\n" : "\n", file);
        ok = wk_gc_report(file, format);
        if (format == WK_REPORT_JSON) fputs("}\n", file);
        ok = ok && fflush(file) == 0 && !ferror(file);
    }
    if (!ok) report_failed(path);
    if (file != stderr) fclose(file);
}

/* `path` with ".INFIX" before its extension: trace.csv -> trace.INFIX.csv. */
static const char *sibling(const char *path, const char *infix, char *buffer, size_t size) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    snprintf(buffer, size, "%.*s.%s%s", (int)stem, path, infix, path + stem);
    return buffer;
}

/* A trace or plot per memory: memory 0 to `path`, memory N to path.memoryN.EXT. */
static void write_per_memory(const wk_module *module, wk_instance *instance, const char *path, wk_report_format format) {
    for (uint32_t k = 0; k < module->memory_count; k++) {
        char buffer[4096], infix[32];
        snprintf(infix, sizeof infix, "memory%u", k);
        const char *target = k > 0 ? sibling(path, infix, buffer, sizeof buffer) : path;
        FILE *file = fopen(target, "w");
        if (!file || !wk_memory_report(file, module->memory_at(instance, k), module, format)) report_failed(target);
        if (file) fclose(file);
    }
}

/* The GC heap's trace or plot: to path.gc.EXT. */
static void write_gc(const char *path, wk_report_format format) {
    char buffer[4096];
    const char *target = sibling(path, "gc", buffer, sizeof buffer);
    FILE *file = fopen(target, "w");
    if (!file || !wk_gc_report(file, format)) report_failed(target);
    if (file) fclose(file);
}

static void report_memory(const wk_module *module, wk_instance *instance) {
    const char *stats = getenv("WASMKILN_MEMORY_STATS");
    if (stats && *stats) {
        int json = starts_with(stats, "json");
        const char *colon = strchr(stats, ':');
        fflush(stdout);
        write_stats(module, instance, colon ? colon + 1 : NULL, json ? WK_REPORT_JSON : WK_REPORT_TEXT);
    }
    const char *trace = getenv("WASMKILN_MEMORY_TRACE");
    if (trace && *trace) write_per_memory(module, instance, trace, WK_REPORT_CSV);
    if (trace && *trace && module->uses_gc) write_gc(trace, WK_REPORT_CSV);
    const char *plot = getenv("WASMKILN_MEMORY_PLOT");
    if (plot && *plot) write_per_memory(module, instance, plot, WK_REPORT_SVG);
    if (plot && *plot && module->uses_gc) write_gc(plot, WK_REPORT_SVG);
}

static void call_start(void *start) {
    const wk_func *func = start;
    ((void (*)(void *))func->code)(func->instance);
}

/* The exit status after `_start` or a thread's `wasi_thread_start` ended with `code`,
 * saying why on standard error. */
static int exit_status(const wk_module *module, wk_wasi *wasi, wk_trap_code code, const char *message) {
    if (code == WK_TRAP_NONE) return 0;
    if (code == WK_TRAP_EXIT) return wk_wasi_exit_code(wasi);
    if (code == WK_TRAP_EXCEPTION) {
        const wk_exception *exception = wk_uncaught_exception();
        fprintf(stderr, "uncaught exception: %s\n", exception && exception->tag->name ? exception->tag->name : "(unnamed tag)");
        return 134; /* as an uncaught C++ exception ends a native program: abort */
    }
    fprintf(stderr, "trap: %s\n", code == WK_TRAP_HOST && message ? message : wk_trap_text(code));
    if (code == WK_TRAP_GC_HEAP_EXHAUSTED) {
        wk_gc_stats gc;
        wk_gc_stats_get(&gc);
        if (gc.cap_bytes) {
            fprintf(stderr, "  the GC heap holds %llu bytes, %llu live after the last collection: its cap (--max-gc-heap) is %llu bytes\n",
                    (unsigned long long)gc.heap_bytes, (unsigned long long)gc.live_bytes, (unsigned long long)gc.cap_bytes);
        }
    }
    const char *where = code == WK_TRAP_HOST ? NULL : module->function_at(wk_trap_address());
    const wk_trap_site *site = wk_last_trap_site();
    char place[256];
    if (where && site && site->function->name == where)
        fprintf(stderr, "  in %s at %s\n", where, wk_trap_site_text(site, place, sizeof place));
    else if (where)
        fprintf(stderr, "  in %s\n", where);
    return WK_COMMAND_TRAP_STATUS;
}

/* ---- wasi-threads ----
 * "wasi" "thread-spawn" makes a new instance with the same imports (the shared memory,
 * WASI, thread-spawn itself) and runs its wasi_thread_start(tid, arg) on a new thread.
 * A thread that returns ends alone; proc_exit or a trap in any thread ends the program
 * with that status, as the proposal says. */
typedef struct spawner {
    const wk_module *module;
    const wk_extern *imports;
    wk_options options;
    wk_wasi *wasi;
    wk_func function; /* what the module imports */
    uint32_t next_tid;
} spawner;
static spawner threads;

typedef struct thread_start {
    wk_instance *instance;
    const wk_func *start;
    uint32_t tid, arg;
} thread_start;

static void call_thread_start(void *context) {
    thread_start *thread = context;
    ((void (*)(void *, uint32_t, uint32_t))thread->start->code)(thread->start->instance, thread->tid, thread->arg);
}

static void *thread_main(void *context) {
    thread_start *thread = context;
    const char *message = NULL;
    wk_trap_code code = wk_call_protected(call_thread_start, thread, &message);
    if (code == WK_TRAP_NONE) {
        threads.module->free(thread->instance);
        free(thread);
        return NULL;
    }
    int status = exit_status(threads.module, threads.wasi, code, message);
    fflush(NULL);
    report_memory(threads.module, thread->instance);
    _exit(status); /* the whole program, from any thread */
}

/* thread-spawn(arg): the new thread's id (1 to 2^29 - 1), or negative on failure. */
static uint32_t thread_spawn(void *context, uint32_t arg) {
    (void)context;
    uint32_t tid = __atomic_fetch_add(&threads.next_tid, 1, __ATOMIC_SEQ_CST);
    if (tid >= 0x20000000u) return (uint32_t)-1;
    wk_error error = {0};
    wk_instance *instance = threads.module->instantiate_with(threads.imports, &threads.options, &error);
    if (!instance) return (uint32_t)-1;
    wk_extern start;
    thread_start *thread = malloc(sizeof *thread);
    if (!thread || !threads.module->get_export(instance, "wasi_thread_start", 17, &start) || start.kind != WK_EXTERN_FUNC) {
        free(thread);
        threads.module->free(instance);
        return (uint32_t)-1;
    }
    *thread = (thread_start){instance, start.object, tid, arg};
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t handle;
    int failed = pthread_create(&handle, &attributes, thread_main, thread);
    pthread_attr_destroy(&attributes);
    if (failed) {
        free(thread);
        threads.module->free(instance);
        return (uint32_t)-1;
    }
    return tid;
}

int wk_command_main(const wk_module *module, const wk_command_grants *grants, int argc, char **argv) {
    const char *program = argc > 0 ? argv[0] : "wasmkiln-app";
    list args = {0}, env = {0}, hosts = {0}, guests = {0}, run_env = {0};
    int inherit_env = grants->inherit_env;
    uint32_t max_memory_pages = grants->max_memory_pages;
    unsigned long long max_gc_heap = grants->max_gc_heap_bytes;
    int first = 1;

    /* Grants at run time: only as a leading block of options ended by "--", so that
     * no argument meant for the module widens them by accident. */
    if (argc > 1 && starts_with(argv[1], "--wasmkiln-")) {
        for (; first < argc && starts_with(argv[first], "--wasmkiln-"); first++) {
            const char *option = argv[first];
            if (starts_with(option, "--wasmkiln-dir=")) {
                add_dir(&hosts, &guests, option + strlen("--wasmkiln-dir="));
            } else if (starts_with(option, "--wasmkiln-env=") && strchr(option + strlen("--wasmkiln-env="), '=')) {
                add(&run_env, option + strlen("--wasmkiln-env="));
            } else if (strcmp(option, "--wasmkiln-inherit-env") == 0) {
                inherit_env = 1;
            } else if (starts_with(option, "--wasmkiln-max-memory=")) {
                if (!parse_pages(option + strlen("--wasmkiln-max-memory="), &max_memory_pages)) {
                    fprintf(stderr, "%s: %s: expected a size in whole 64 KiB pages such as 256MiB or 1GiB, from 64KiB to 4GiB\n", program, option);
                    return 1;
                }
            } else if (starts_with(option, "--wasmkiln-max-gc-heap=")) {
                if (!parse_size(option + strlen("--wasmkiln-max-gc-heap="), &max_gc_heap) || max_gc_heap == 0) {
                    fprintf(stderr, "%s: %s: expected a size such as 64MiB or 1GiB\n", program, option);
                    return 1;
                }
            } else {
                fprintf(stderr, "%s: unknown option '%s': the options before '--' are --wasmkiln-dir=HOST[::GUEST], "
                        "--wasmkiln-env=NAME=VALUE, --wasmkiln-inherit-env, --wasmkiln-max-memory=SIZE and "
                        "--wasmkiln-max-gc-heap=SIZE\n", program, option);
                return 1;
            }
        }
        if (first == argc || strcmp(argv[first], "--") != 0) {
            fprintf(stderr, "%s: --wasmkiln- options must be followed by '--' and the module's arguments\n", program);
            return 1;
        }
        first++;
    }

    add(&args, program);
    for (int i = first; i < argc; i++) add(&args, argv[i]);
    if (inherit_env) {
        for (char **entry = environ; *entry; entry++) set_env(&env, *entry);
    }
    for (const char *const *entry = grants->env; *entry; entry++) set_env(&env, *entry);
    for (int i = 0; i < run_env.count; i++) set_env(&env, run_env.items[i]);
    list all_hosts = {0}, all_guests = {0};
    for (int i = 0; grants->dir_host[i]; i++) {
        add(&all_hosts, grants->dir_host[i]);
        add(&all_guests, grants->dir_guest[i]);
    }
    for (int i = 0; i < hosts.count; i++) {
        add(&all_hosts, hosts.items[i]);
        add(&all_guests, guests.items[i]);
    }

    wk_wasi_config config = {
        .argc = args.count, .argv = args.items,
        .envc = env.count, .env = env.items,
        .dir_count = all_hosts.count, .dir_host = all_hosts.items, .dir_guest = all_guests.items,
        .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2,
    };
    wk_error error = {0};
    wk_wasi *wasi = wk_wasi_new(&config, &error);
    if (!wasi) {
        fprintf(stderr, "%s: %s\n", program, error.message);
        return 1;
    }

    wk_options options = {.max_memory_pages = max_memory_pages};
    wk_extern *imports = calloc(module->import_count + 1, sizeof *imports);
    wk_memory *imported_memory = NULL;
    threads = (spawner){module, imports, options, wasi, {(void *)thread_spawn, wk_type_id("i:i"), NULL, NULL}, 1};
    for (uint32_t i = 0; i < module->import_count; i++) {
        const wk_extern_desc *import = &module->imports[i];
        const void *object = NULL;
        wk_extern_kind kind = import->kind;
        if (kind == WK_EXTERN_FUNC && import->module_length == strlen(WASI_MODULE) &&
            memcmp(import->module, WASI_MODULE, import->module_length) == 0) {
            object = wk_wasi_function(wasi, import->name, import->name_length);
        } else if (kind == WK_EXTERN_FUNC && import->module_length == 4 && memcmp(import->module, "wasi", 4) == 0 &&
                   import->name_length == 12 && memcmp(import->name, "thread-spawn", 12) == 0) {
            object = &threads.function;
        } else if (kind == WK_EXTERN_MEMORY && !imported_memory) {
            /* The module's memory, made here as it declares it (wasi-threads: shared). */
            uint32_t max = import->max == UINT32_MAX ? 65536 : import->max;
            imported_memory = (import->elem_type & 1) ? wk_memory_new_shared(import->min, max, module->bounds_mode)
                                                : wk_memory_new(import->min, max, module->bounds_mode);
            if (imported_memory && max_memory_pages) wk_memory_set_cap(imported_memory, max_memory_pages);
            object = imported_memory;
        }
        if (!object) {
            fprintf(stderr, "%s: unknown import \"%.*s\" \"%.*s\": not a WASI function\n", program,
                    (int)import->module_length, import->module, (int)import->name_length, import->name);
            return 1;
        }
        imports[i] = (wk_extern){kind, (void *)object};
    }
    if (module->uses_gc && max_gc_heap) wk_gc_set_cap(max_gc_heap);
    wk_instance *instance = module->instantiate_with(imports, &options, &error);
    if (!instance) {
        fprintf(stderr, "%s: cannot instantiate the module: %s\n", program, error.message);
        return 1;
    }
    wk_extern memory = {WK_EXTERN_MEMORY, imported_memory}, start;
    if ((!imported_memory && (!module->get_export(instance, "memory", 6, &memory) || memory.kind != WK_EXTERN_MEMORY)) ||
        !module->get_export(instance, "_start", 6, &start) || start.kind != WK_EXTERN_FUNC) {
        fprintf(stderr, "%s: the module does not export \"memory\" and \"_start\"\n", program);
        return 1;
    }
    wk_wasi_set_memory(wasi, memory.object);

    const char *message = NULL;
    wk_trap_code code = wk_call_protected(call_start, start.object, &message);
    fflush(stdout);
    int status = exit_status(module, wasi, code, message);
    report_memory(module, instance);
    return status;
}
