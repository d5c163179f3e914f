import CLowering
import Foundation
import Testing
import Toolchain
@testable import TestSupport

/// `emit-c --freestanding`: C with no C library, linked with `-nostdlib` into a static
/// x86-64 Linux executable whose start file makes system calls itself.
@Suite struct FreestandingTests {
    static let example = LibraryTests.repository.appendingPathComponent("Examples/freestanding")
    /// The example's start file is x86-64 Linux assembly and system calls.
    static let x86_64Linux: Bool = {
        #if arch(x86_64) && os(Linux)
        true
        #else
        false
        #endif
    }()

    /// What Examples/freestanding prints: each value checked by hand (20!, F(90), the sum
    /// of squares below 30000 is 29999 * 30000 * 59999 / 6; the rounding results' bits are
    /// Wasm's: ties to even, -0 kept, min(0, -0) = -0), grows stopping at the 3-page
    /// buffer though the module allows 4, and traps returned as values.
    static let expected = """
        factorial(20) = 2432902008176640000
        fibonacci(90) = 2880067194370816120
        distance(3, 4) = 5.000000000
        distance(1, 1) = 1.410000000
        leibniz(1000000) = 3.141591654
        nearest(2.5) = 0x4000000000000000
        nearest(-0.5) = 0x8000000000000000
        ceil(-0.5) = 0x8000000000000000
        trunc(-7.9f) = 0xc0e00000
        min(0, -0) = 0x8000000000000000
        sum_squares(30000) = 8999550005000
        pages = 2
        grow(1) = 2
        grow(1) = -1
        divide(7, 0) trapped: integer divide by zero in func 9 (divide)
        load(196608) trapped: out of bounds memory access in func 10 (load)
        divide(7, 2) = no trap
        arena used: 744 bytes

        """

    @Test("Examples/freestanding links with -nostdlib, no undefined symbols, and prints the right results",
          .enabled(if: x86_64Linux))
    func freestandingExample() throws {
        let scratch = try ScratchFolder()
        let wasmkiln = try CommandRunner.executable().path
        let out = scratch.url.appendingPathComponent("build").path
        let result = try LibraryTests.shell("WASMKILN=\(wasmkiln) \(Self.example.path)/build.sh \(out)")
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout == Self.expected)

        // Nothing left for a C library or libm to supply.
        let undefined = try LibraryTests.shell("nm -u \(out)/numeric-freestanding")
        #expect(undefined.status == 0, "\(undefined.stderr)")
        #expect(undefined.stdout.isEmpty, "undefined symbols: \(undefined.stdout)")
        let dynamic = try LibraryTests.shell("readelf -d \(out)/numeric-freestanding")
        #expect(dynamic.stdout.contains("There is no dynamic section in this file."), "\(dynamic.stdout)")
        // The module's own files include no angle-bracket header at all (build.sh's
        // -nostdinc also proves that the runtime headers they include need none from libc).
        let includes = try LibraryTests.shell("grep -n '#include <' \(out)/numeric/numeric*")
        #expect(includes.status == 1, "libc headers included: \(includes.stdout)")
    }

    /// Compiles `main` (C) with Examples/freestanding/start.c and module `wat`'s
    /// freestanding C into a static executable, as build.sh does, and runs it.
    static func runProgram(wat: String, main: String, in scratch: borrowing ScratchFolder) throws -> CommandRunner.Result {
        let module = try scratch.write("mod.wat", text: wat)
        let mainFile = try scratch.write("main.c", text: main)
        let folder = scratch.url.appendingPathComponent("mod").path
        let emit = try ToolchainTesting.wasmkiln(["emit-c", module, "-o", folder, "--freestanding"])
        try #require(emit.status == 0, "\(emit.stderr)")
        let executable = scratch.url.appendingPathComponent("program").path
        let flags = (CLowering.requiredCFlags + Freestanding.cFlags).joined(separator: " ")
        let build = try LibraryTests.shell("""
            set -e; includes="-nostdinc -isystem $($CC -print-file-name=include)"
            make -s -C \(folder) CC=$CC CFLAGS="-O2 $includes"
            $CC -O2 -Wall -Wextra -Werror $includes \(flags) -I\(folder) -I\(Self.example.path) -c \(mainFile) -o \(folder)/main.o
            $CC -O2 $includes \(flags) -c \(Self.example.path)/start.c -o \(folder)/start.o
            $CC -nostdlib -static -o \(executable) \(folder)/start.o \(folder)/main.o \(folder)/libmod.a
            """)
        try #require(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        return try CommandRunner.run(program: executable, arguments: [])
    }

    @Test("traps go through the runtime: a trapping start function, a memory too big for the buffer, a trap outside any call",
          .enabled(if: x86_64Linux))
    func traps() throws {
        let scratch = try ScratchFolder()
        let result = try Self.runProgram(wat: """
            (module
              (global $divisor (mut i32) (i32.const 0))
              (memory 2)
              (func $start (drop (i32.div_u (i32.const 1) (global.get $divisor))))
              (start $start))
            """, main: """
            #include "mod.h"
            #include "start.h"

            static _Alignas(16) unsigned char arena[8192];
            static _Alignas(16) unsigned char memory[2 * 65536];

            static void on_trap(wk_trap_code code, const char *message) {
                print("unhandled trap: ");
                print(wk_trap_text(code));
                print(": ");
                print(message);
                print("\\n");
                /* The handler must not return: exit 7 (the system call, as start.c makes it). */
                __asm__ volatile("syscall" ::"a"(60), "D"(7) : "rcx", "r11", "memory");
                __builtin_unreachable();
            }

            static void attempt(void) {
                wk_error error;
                mod *inst = mod_new(NULL, NULL, &error);
                print(inst ? "instantiated" : error.message);
                print("\\n");
            }

            int main_freestanding(void) {
                wk_freestanding_arena(arena, sizeof arena);
                wk_freestanding_memory(memory, 65536); /* one page: too small */
                attempt();
                wk_freestanding_memory(memory, sizeof memory);
                attempt(); /* the start function divides by zero */
                print("arena used: ");
                print_unsigned(wk_freestanding_arena_used());
                print("\\n");
                wk_freestanding_arena(arena, sizeof arena); /* reuse it: the failed instances are gone */
                wk_freestanding_on_trap(on_trap);
                wk_trap_host("no protected call");
                return 0;
            }
            """, in: scratch)
        #expect(result.exited, "crashed: \(result.stdout)\n\(result.stderr)")
        #expect(result.status == 7, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result.stdout)")
        guard lines.count == 4 else { return }
        #expect(lines[0] == "memory 0 does not fit the buffer given (wk_freestanding_memory)")
        #expect(lines[1] == "start function trapped: integer divide by zero")
        #expect(lines[3] == "unhandled trap: host trap: no protected call")
    }

    @Test("a host import, a table with element segments, call_indirect, table.grow and a data segment work freestanding",
          .enabled(if: x86_64Linux))
    func tablesAndImports() throws {
        let scratch = try ScratchFolder()
        let result = try Self.runProgram(wat: """
            (module
              (import "env" "scale" (func $scale (param i32) (result i32)))
              (type $unary (func (param i32) (result i32)))
              (memory 1)
              (data (i32.const 100) "\\2a\\00\\00\\00")
              (table 4 funcref)
              (elem (i32.const 0) $double $square $scale)
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
              (func (export "dispatch") (param i32 i32) (result i32)
                (call_indirect (type $unary) (local.get 1) (local.get 0)))
              (func (export "answer") (result i32) (i32.load (i32.const 100)))
              (func (export "grow") (result i32) (table.grow (ref.null func) (i32.const 2)))
              (func (export "put") (param i32) (table.set (local.get 0) (ref.func $square))))
            """, main: """
            #include "mod.h"
            #include "start.h"

            static _Alignas(16) unsigned char arena[8192];
            static _Alignas(16) unsigned char memory[65536];

            static uint32_t scale(void *context, mod *inst, uint32_t x) {
                (void)inst;
                return x * *(uint32_t *)context;
            }

            static void dispatch(mod *inst, uint32_t index, uint32_t x) {
                uint32_t value;
                wk_result result = mod_try_dispatch(inst, index, x, &value);
                if (result.trap != WK_TRAP_NONE) print(result.message);
                else print_unsigned(value);
                print("\\n");
            }

            int main_freestanding(void) {
                wk_freestanding_arena(arena, sizeof arena);
                wk_freestanding_memory(memory, sizeof memory);
                uint32_t factor = 10;
                mod_imports imports = {.context = &factor, .env_scale = scale};
                wk_error error;
                mod *inst = mod_new(&imports, NULL, &error);
                if (!inst) {
                    print(error.message);
                    return 1;
                }
                dispatch(inst, 0, 21);
                dispatch(inst, 1, 12);
                dispatch(inst, 2, 7);
                dispatch(inst, 3, 1);
                dispatch(inst, 9, 1);
                print_unsigned(mod_answer(inst));
                print("\\n");
                print_unsigned(mod_grow(inst)); /* the old size: 4 */
                print("\\n");
                mod_put(inst, 5);
                dispatch(inst, 5, 9);
                return 0;
            }
            """, in: scratch)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout == "42\n144\n70\nuninitialized element\nundefined element\n42\n4\n81\n")
    }

    @Test("the freestanding rounding and min/max helpers agree with libm and Wasm on edge cases")
    func rounding() throws {
        let scratch = try ScratchFolder()
        let include = LibraryTests.repository.appendingPathComponent("Runtime/include").path
        // A hosted program: wasmkiln-gen.h's freestanding helpers against libm, on zeros,
        // halves, values near 2^23 and 2^52, subnormals, infinities and NaNs.
        let source = try scratch.write("check.c", text: """
            #define WK_FREESTANDING 1
            #include "wasmkiln-gen.h"
            #undef memcpy
            #undef memset
            #undef memmove
            #undef memcmp
            #undef calloc
            #undef free
            #undef snprintf
            #include <math.h>
            #include <stdio.h>
            #include <string.h>

            static int failures;
            static void same64(const char *what, double x, double got, double want) {
                uint64_t g = wk_f64_bits(got), w = wk_f64_bits(want);
                bool nan = want != want;
                /* A NaN result must be a quiet NaN (any payload the spec allows): top fraction bit set. */
                if (nan ? !(got != got && (g & 0x0008000000000000ull)) : g != w) {
                    printf("%s(%a): %016llx, want %016llx\\n", what, x, (unsigned long long)g, (unsigned long long)w);
                    failures++;
                }
            }
            static void same32(const char *what, float x, float got, float want) {
                uint32_t g = wk_f32_bits(got), w = wk_f32_bits(want);
                bool nan = want != want;
                if (nan ? !(got != got && (g & 0x00400000u)) : g != w) {
                    printf("%s(%a): %08x, want %08x\\n", what, (double)x, g, w);
                    failures++;
                }
            }
            int main(void) {
                double d[] = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                    1.0, -1.0, 3.7, -3.7, 4503599627370495.5, -4503599627370495.5, 4503599627370496.0, 9007199254740993.0,
                    2251799813685248.5, -2251799813685248.5, 1e300, -1e300, 4.9e-324, -4.9e-324, 2.2250738585072014e-308,
                    INFINITY, -INFINITY, NAN, -NAN, wk_f64_from(0x7ff0000000000001ull), wk_f64_from(0xfff4000000000000ull)};
                for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++) {
                    double x = d[i];
                    same64("floor", x, wk_f64_floor(x), floor(x));
                    same64("ceil", x, wk_f64_ceil(x), ceil(x));
                    same64("trunc", x, wk_f64_trunc(x), trunc(x));
                    same64("nearest", x, wk_f64_nearest(x), nearbyint(x));
                    same64("sqrt", x, wk_f64_sqrt(x), sqrt(x));
                    for (unsigned k = 0; k < sizeof d / sizeof d[0]; k++) {
                        double y = d[k];
                        double min = x != x || y != y ? NAN : x == y ? (signbit(x) ? x : y) : fmin(x, y);
                        double max = x != x || y != y ? NAN : x == y ? (signbit(x) ? y : x) : fmax(x, y);
                        same64("min", x, wk_f64_min(x, y), min);
                        same64("max", x, wk_f64_max(x, y), max);
                    }
                }
                float f[] = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 8388607.5f,
                    -8388607.5f, 8388608.0f, 16777217.0f, 4194304.5f, -4194304.5f, 3.4e38f, -3.4e38f, 1.4e-45f, -1.4e-45f,
                    INFINITY, -INFINITY, NAN, -NAN, wk_f32_from(0x7f800001u), wk_f32_from(0xffa00000u)};
                for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) {
                    float x = f[i];
                    same32("floorf", x, wk_f32_floor(x), floorf(x));
                    same32("ceilf", x, wk_f32_ceil(x), ceilf(x));
                    same32("truncf", x, wk_f32_trunc(x), truncf(x));
                    same32("nearestf", x, wk_f32_nearest(x), nearbyintf(x));
                    same32("sqrtf", x, wk_f32_sqrt(x), sqrtf(x));
                }
                printf("%d failures\\n", failures);
                return failures != 0;
            }
            """)
        let executable = scratch.url.appendingPathComponent("check").path
        for optimization in ["-O0", "-O2"] {
            let result = try LibraryTests.shell("""
                $CC \(optimization) -Wall -Wextra \(CLowering.requiredCFlags.joined(separator: " ")) -I\(include) \
                  \(source) -o \(executable) -lm && \(executable)
                """)
            #expect(result.status == 0, "\(optimization): \(result.stdout)\n\(result.stderr)")
            #expect(result.stdout == "0 failures\n", "\(optimization): \(result.stdout)")
        }
    }

    @Test("emit-c --freestanding refuses what the freestanding runtime cannot run", arguments: [
        ("(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func (param i32))))", "has no WASI"),
        ("(module (memory 1 1 shared))", "has no threads"),
        ("(module (memory i64 1))", "memory64"),
        ("(module (func (return_call 0)))", "tail calls"),
        ("(module (tag) (func (throw 0)))", "exceptions"),
        ("(module (func (result v128) (v128.const i64x2 0 0)))", "SIMD"),
    ])
    func refusals(wat: String, message: String) throws {
        let scratch = try ScratchFolder()
        let module = try scratch.write("mod.wat", text: wat)
        let result = try ToolchainTesting.wasmkiln(["emit-c", module, "-o", scratch.url.appendingPathComponent("out").path,
                                                    "--freestanding"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot be built freestanding"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("emit-c --freestanding with --bounds-checks guard is an error")
    func guardPages() throws {
        let scratch = try ScratchFolder()
        let module = try scratch.write("mod.wat", text: "(module)")
        let result = try ToolchainTesting.wasmkiln(["emit-c", module, "-o", scratch.url.appendingPathComponent("out").path,
                                                    "--freestanding", "--bounds-checks", "guard"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--freestanding needs --bounds-checks explicit"), "\(result.stderr)")
    }
}
