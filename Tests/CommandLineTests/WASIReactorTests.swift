import Foundation
import Testing
@testable import TestSupport

/// WASI in embedded modules (`build --lib`): `NAME_imports_use_wasi` fills a module's
/// `wasi_snapshot_preview1` imports from a `wk_wasi` context, `NAME_new` binds the memory
/// and runs `_initialize`; stdio goes to host descriptors or to callbacks.
@Suite struct WASIReactorTests {
    static let example = LibraryTests.repository.appendingPathComponent("Examples/wasi-reactor")

    /// What `reports data` prints: the second instance's report on its own stdout, then
    /// what the first wrote through the callback (its refused escape on stderr).
    static let expected = """
        second: tyger.txt has 4 lines, 20 words, 119 bytes
        the first instance wrote:
        first: tyger.txt has 4 lines, 20 words, 119 bytes
        (stderr) cannot open /data/../main.c: Operation not permitted
        render: 4 and 4 lines; ../main.c: refused

        """

    @Test("Examples/wasi-reactor builds with its Makefile and runs; its folder moved, reporter.pc still works")
    func example() throws {
        let scratch = try ScratchFolder()
        let build = scratch.url.appendingPathComponent("build").path
        let wasmkiln = try CommandRunner.executable().path
        let run = try LibraryTests.shell("""
            WASMKILN_CACHE=\(ToolchainTesting.cache.path) make -s -C \(Self.example.path) \
              WASMKILN=\(wasmkiln) BUILD=\(build) run
            """)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout == Self.expected)

        // The library folder moved elsewhere: pkg-config gives its new place.
        let moved = scratch.url.appendingPathComponent("elsewhere/reporter").path
        try FileManager.default.createDirectory(atPath: scratch.url.appendingPathComponent("elsewhere").path,
                                                withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: "\(build)/reporter", toPath: moved)
        let flags = try LibraryTests.shell("PKG_CONFIG_PATH=\(moved) pkg-config --cflags --libs reporter")
        #expect(flags.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == "-I\(moved) -L\(moved) -lreporter -lwasmkiln-rt -lm -lpthread")
        let program = scratch.url.appendingPathComponent("reports").path
        let compile = try LibraryTests.shell("""
            $CC -O2 -Wall -Wextra -Werror \(Self.example.path)/main.c -o \(program) \
              $(PKG_CONFIG_PATH=\(moved) pkg-config --cflags --libs reporter)
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        let again = try CommandRunner.run(program: program, arguments: [Self.example.appendingPathComponent("data").path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == Self.expected)
    }

    @Test("two instances, two contexts: stdin and stdout through callbacks; host imports beside WASI's, and instead of one")
    func callbacks() throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("echo", in: scratch, wat: """
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (import "env" "done" (func $done (param i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "\\c8\\00\\00\\00\\04\\00\\00\\00")  ;; iovec: 4 bytes at 200
              (data (i32.const 200) "oops")
              ;; Reads up to 32 bytes of stdin, writes them to stdout and "oops" to stderr.
              (func (export "echo") (result i32)
                (i32.store (i32.const 0) (i32.const 64))
                (i32.store (i32.const 4) (i32.const 32))
                (if (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
                  (then (return (i32.const -1))))
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
                (drop (call $write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 12)))
                (call $done (i32.load (i32.const 8)))
                (i32.load (i32.const 8))))
            """)
        let output = try Self.compileAndRun(in: scratch, folder: folder, source: """
            #include "echo.h"
            #include <stdio.h>
            #include <string.h>

            typedef struct { const char *input; char output[256]; size_t length; } io;

            static long out(void *context, int stream, const void *data, size_t length) {
                io *s = context;
                int n = snprintf(s->output + s->length, sizeof s->output - s->length, "[%d:%.*s]", stream,
                                 (int)length, (const char *)data);
                if (n > 0) s->length += (size_t)n;
                return (long)length;
            }

            static long in(void *context, void *buffer, size_t capacity) {
                io *s = context;
                size_t n = strlen(s->input) < capacity ? strlen(s->input) : capacity;
                memcpy(buffer, s->input, n);
                s->input += n;
                return (long)n;
            }

            /* Set after use_wasi, the host's own function serves the import instead. */
            static uint32_t own_write(void *context, echo *inst, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t out) {
                (void)inst, (void)iovs, (void)count, (void)out;
                printf("%s: own fd_write(%u)\\n", (const char *)context, fd);
                return 0;
            }

            static void done(void *context, echo *inst, uint32_t n) {
                (void)inst;
                printf("%s: done(%u)\\n", (const char *)context, n);
            }

            int main(void) {
                io a = {.input = "first input"}, b = {.input = "second"};
                wk_wasi_config config_a = {.read_input = in, .write_output = out, .io_context = &a};
                wk_wasi_config config_b = {.read_input = in, .write_output = out, .io_context = &b};
                wk_error error;
                wk_wasi *wasi_a = wk_wasi_new(&config_a, &error), *wasi_b = wk_wasi_new(&config_b, &error);
                echo_imports imports_a = {.context = "a", .env_done = done}, imports_b = {.context = "b", .env_done = done};
                if (!echo_imports_use_wasi(&imports_a, wasi_a, &error) || !echo_imports_use_wasi(&imports_b, wasi_b, &error)) {
                    printf("use_wasi: %s\\n", error.message);
                    return 1;
                }
                imports_b.wasi_snapshot_preview1_fd_write = own_write;
                echo *first = echo_new(&imports_a, NULL, &error);
                echo *second = first ? echo_new(&imports_b, NULL, &error) : NULL;
                if (!second) {
                    printf("new: %s\\n", error.message);
                    return 1;
                }
                uint32_t n = echo_echo(first);
                printf("first echoed %u\\n", n);
                n = echo_echo(second);
                printf("second echoed %u\\n", n);
                n = echo_echo(first);
                printf("first again %u\\n", n);
                printf("a: %s\\nb: %s\\n", a.output, b.length ? b.output : "(nothing)");
                echo_free(first);
                echo_free(second);
                wk_wasi_free(wasi_a);
                wk_wasi_free(wasi_b);
                return 0;
            }
            """)
        #expect(output == """
            a: done(11)
            first echoed 11
            b: own fd_write(1)
            b: own fd_write(2)
            b: done(6)
            second echoed 6
            a: done(0)
            first again 0
            a: [1:first input][2:oops][2:oops]
            b: (nothing)

            """)
    }

    @Test("use_wasi refuses a WASI import of the wrong type, an unknown one, a module without memory",
          arguments: [
            ("(import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32) (result i32))) (memory (export \"memory\") 1)",
             "import wasi_snapshot_preview1.fd_write: not the type WASI gives it"),
            ("(import \"wasi_snapshot_preview1\" \"fd_writ\" (func (param i32 i32 i32 i32) (result i32))) (memory (export \"memory\") 1)",
             "import wasi_snapshot_preview1.fd_writ: WASI has no such function"),
            ("(import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32))) (memory 1)",
             "the module exports no memory named \"memory\", which WASI needs"),
          ])
    func refused(imports: String, message: String) throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("bad", in: scratch, wat: "(module \(imports))")
        let output = try Self.compileAndRun(in: scratch, folder: folder, source: """
            #include "bad.h"
            #include <stdio.h>

            int main(void) {
                wk_wasi_config config = {.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
                wk_error error = {"", 0};
                wk_wasi *wasi = wk_wasi_new(&config, &error);
                bad_imports imports = {0};
                bool used = bad_imports_use_wasi(&imports, wasi, &error);
                printf("%s: %s%s\\n", used ? "used" : "refused", error.message,
                       imports.wasi == NULL && error.code == WK_ERROR_IMPORT ? "" : " (imports changed)");
                /* Instantiating anyway fails on the unset import, without a crash. */
                bad *inst = bad_new(&imports, NULL, &error);
                printf("new: %s\\n", inst ? "made" : error.message);
                wk_wasi_free(wasi);
                return 0;
            }
            """)
        let missing = message.contains("fd_writ:") ? "fd_writ" : "fd_write"
        #expect(output == "refused: \(message)\nnew: missing import \"wasi_snapshot_preview1\" \"\(missing)\"\n")
    }

    @Test("NAME_new runs _initialize: a trap in it fails NAME_new; without a context WASI's imports are missing until the host sets its own")
    func initialize() throws {
        let scratch = try ScratchFolder()
        let folder = try Self.buildLibrary("init", in: scratch, wat: """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
              (memory (export "memory") 1)
              (global $fail (export "fail") (mut i32) (i32.const 0))
              (global $runs (mut i32) (i32.const 0))
              (func (export "_initialize")
                (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
                (if (global.get $fail) (then unreachable)))
              (func (export "runs") (result i32) (global.get $runs))
              (start $arm)
              (func $arm (global.set $fail (i32.load8_u (i32.const 0))))
              (data (i32.const 0) "\\01"))
            """)
        let output = try Self.compileAndRun(in: scratch, folder: folder, source: """
            #include "init.h"
            #include <stdio.h>

            static void my_exit(void *context, init *inst, uint32_t code) {
                (void)context, (void)inst, (void)code;
            }

            int main(void) {
                wk_wasi_config config = {.stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1};
                wk_error error = {"", 0};
                wk_wasi *wasi = wk_wasi_new(&config, &error);
                init_imports imports = {0};
                printf("%s\\n", init_imports_use_wasi(&imports, NULL, &error) ? "used" : error.message);
                if (!init_imports_use_wasi(&imports, wasi, &error)) return 1;
                init *inst = init_new(&imports, NULL, &error);
                printf("%s (code %d)\\n", inst ? "made" : error.message, (int)error.code);
                /* Without a context, the WASI imports are missing... */
                imports.wasi = NULL;
                inst = init_new(&imports, NULL, &error);
                printf("%s\\n", inst ? "made" : error.message);
                /* ...until the host gives its own; _new leaves _initialize to the caller. */
                imports.wasi_snapshot_preview1_proc_exit = my_exit;
                inst = init_new(&imports, NULL, &error);
                printf("runs before: %u\\n", inst ? init_runs(inst) : 99);
                init_free(inst);
                wk_wasi_free(wasi);
                return 0;
            }
            """)
        #expect(output == """
            no WASI context (NULL)
            _initialize trapped: unreachable (code 4)
            missing import "wasi_snapshot_preview1" "proc_exit"
            runs before: 0

            """)
    }

    /// `wasmkiln build --lib` of `wat` into `<scratch>/<name>`.
    static func buildLibrary(_ name: String, in scratch: borrowing ScratchFolder, wat: String) throws -> String {
        let source = try scratch.write("\(name).wat", text: wat)
        let folder = scratch.url.appendingPathComponent(name).path
        let result = try ToolchainTesting.wasmkiln(["build", "--lib", source, "--name", name, "-o", folder])
        try #require(result.status == 0, "\(result.stderr)")
        return folder
    }

    /// Compiles `source` against the library in `folder` (its .pc) and runs it: its stdout.
    static func compileAndRun(in scratch: borrowing ScratchFolder, folder: String, source: String) throws -> String {
        let file = try scratch.write("host.c", text: source)
        let program = scratch.url.appendingPathComponent("host").path
        let name = URL(fileURLWithPath: folder).lastPathComponent
        let compile = try LibraryTests.shell("""
            $CC -O2 -Wall -Wextra -Werror \(file) -o \(program) $(PKG_CONFIG_PATH=\(folder) pkg-config --cflags --libs \(name))
            """)
        try #require(compile.status == 0, "\(compile.stderr)")
        let run = try CommandRunner.run(program: program, arguments: [])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout
    }
}
