import Foundation
import Testing
@testable import TestSupport

/// wasi-threads executables: `"wasi" "thread-spawn"` starts `wasi_thread_start` of a new
/// instance on the shared memory; every thread writes through the one WASI context;
/// `proc_exit` or a trap in any thread ends the whole program with its status.
@Suite(.enabled(if: ExecutableTesting.haveWASIRuntime, "needs the WASI runtime (Runtime/src/wasi*.c) embedded"))
struct WASIThreadsTests {
    typealias T = ExecutableTesting

    /// A wasi-threads command whose `_start` runs `start` (WAT instructions). A thread
    /// started with argument N < 8 writes "thread N", counts itself at address 0 and
    /// wakes a waiter there; argument 100 calls proc_exit(7), 101 traps.
    static func program(_ start: String) -> String {
        let lines = (0..<8).map { "thread \($0)\\0a\\00\\00\\00\\00\\00\\00\\00" }.joined()
        return """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "env" "memory" (memory 1 1 shared))
              (data (i32.const 64) "\(lines)")
              (data (i32.const 200) "done\\0a")
              ;; Writes `length` bytes at `text` through an iovec of the caller's own at `iov`.
              (func $write (param $text i32) (param $length i32) (param $iov i32)
                (i32.store (local.get $iov) (local.get $text))
                (i32.store offset=4 (local.get $iov) (local.get $length))
                (drop (call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8)))))
              (func $spawn_checked (param $arg i32)
                (if (i32.le_s (call $spawn (local.get $arg)) (i32.const 0)) (then unreachable)))
              (func $wait_forever
                (loop $forever
                  (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
                  (br $forever)))
              (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
                (if (i32.eq (local.get $arg) (i32.const 100)) (then (call $proc_exit (i32.const 7))))
                (if (i32.eq (local.get $arg) (i32.const 101)) (then unreachable))
                (call $write (i32.add (i32.const 64) (i32.shl (local.get $arg) (i32.const 4))) (i32.const 9)
                             (i32.add (i32.const 256) (i32.shl (local.get $arg) (i32.const 4))))
                (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
                (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
              (func (export "_start")
                (local $k i32) (local $seen i32)
                \(start)))
            """
    }

    @Test("eight threads write through WASI, the main thread waits for all of them", arguments: ["guard", "explicit"])
    func spawnAndJoin(boundsChecks: String) throws {
        let scratch = try ScratchFolder()
        let app = try T.build(Self.program("""
            (loop $spawning
              (call $spawn_checked (local.get $k))
              (br_if $spawning (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 8))))
            (loop $waiting
              (local.set $seen (i32.atomic.load (i32.const 0)))
              (if (i32.lt_u (local.get $seen) (i32.const 8))
                (then
                  (drop (memory.atomic.wait32 (i32.const 0) (local.get $seen) (i64.const -1)))
                  (br $waiting))))
            (call $write (i32.const 200) (i32.const 5) (i32.const 512))
            """), in: scratch, options: ["--bounds-checks", boundsChecks])
        let result = try T.run(app)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "done", "\(result.stdout)")
        #expect(lines.dropLast().sorted() == (0..<8).map { "thread \($0)" }, "\(result.stdout)")
    }

    @Test("proc_exit in a thread ends the whole program with its code")
    func exitFromAThread() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(Self.program("(call $spawn_checked (i32.const 100)) (call $wait_forever)"), in: scratch)
        let result = try T.run(app)
        #expect(result.exited && result.status == 7, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test("a trap in a thread ends the whole program: the trap's message, status 134")
    func trapInAThread() throws {
        let scratch = try ScratchFolder()
        let app = try T.build(Self.program("(call $spawn_checked (i32.const 101)) (call $wait_forever)"), in: scratch)
        let result = try T.run(app)
        #expect(result.exited && result.status == 134, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("trap: unreachable\n  in func "), "\(result.stderr)")
        #expect(result.stderr.contains("(wasi_thread_start)"), "\(result.stderr)")
    }
}
