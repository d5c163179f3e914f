import Foundation
import Testing
import Toolchain
@testable import TestSupport

/// WASI command modules and a way to run the executables built from them.
enum ExecutableTesting {
    /// The executables need `Runtime/src/wasi*.c` embedded in the tool.
    static let haveWASIRuntime = RuntimeSources.files.contains { $0.path.hasPrefix("src/wasi") }

    /// Writes "hello\n" and exits with proc_exit(3).
    static let hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hello\\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $proc_exit (i32.const 3))
            unreachable))
        """

    /// Prints its arguments, then its environment, one per line; returns from `_start`.
    static let echo = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 8) "\\n")
          (func $write (param $pointer i32) (param $length i32)
            (i32.store (i32.const 0) (local.get $pointer))
            (i32.store (i32.const 4) (local.get $length))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))))
          ;; Prints the `count` strings whose pointers are at 1024.
          (func $print_lines (param $count i32)
            (local $i i32) (local $string i32) (local $length i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
              (local.set $string (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $length (i32.const 0))
              (block $end (loop $scan
                (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $string) (local.get $length)))))
                (local.set $length (i32.add (local.get $length) (i32.const 1)))
                (br $scan)))
              (call $write (local.get $string) (local.get $length))
              (call $write (i32.const 8) (i32.const 1))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
          (func (export "_start")
            (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
            (drop (call $args_get (i32.const 1024) (i32.const 4096)))
            (call $print_lines (i32.load (i32.const 16)))
            (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
            (drop (call $environ_get (i32.const 1024) (i32.const 4096)))
            (call $print_lines (i32.load (i32.const 16)))))
        """

    /// Traps in `_start`.
    static let trap = """
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") unreachable))
        """

    /// Builds `text` with `wasmkiln build` and extra options; the executable's path.
    static func build(_ text: String, in scratch: borrowing ScratchFolder, name: String = "app",
                      options: [String] = []) throws -> String
    {
        let source = try scratch.write("\(name).wat", text: text)
        let executable = scratch.url.appendingPathComponent(name).path
        let result = try ToolchainTesting.wasmkiln(["build", source, "-o", executable] + options)
        #expect(result.status == 0, "\(result.stderr)")
        return executable
    }

    /// Runs a program with `environment` only (nothing inherited), stdin empty.
    static func run(_ executable: String, _ arguments: [String] = [],
                    environment: [String: String] = [:]) throws -> CommandRunner.Result
    {
        try CommandRunner.run(arguments, executable: URL(fileURLWithPath: executable), environment: environment)
    }
}
