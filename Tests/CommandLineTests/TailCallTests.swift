import Foundation
import Testing
@testable import TestSupport

/// Tail calls take constant stack: chains of 100 million `return_call` and
/// `return_call_indirect` between functions of different signatures finish (a stack that
/// grew by even 16 bytes a call would need 1.6 GB), in both bounds modes, at the default
/// level and at -O0, where the C compiler turns no call into a jump by itself.
@Suite struct TailCallTests {
    /// ping (i64 i32) → pong (f64 i64) → through the table, hop (i64 f64 i32) → ping …:
    /// three tail calls a round; `ping n 0` returns n after 3n calls. `count` tail-calls
    /// itself, which becomes a jump. `chain` mixes results of two values.
    static let module = """
        (module
          (type $hop (func (param i64 f64 i32) (result i64)))
          (table funcref (elem $hop))
          (func $ping (export "ping") (param $n i64) (param $acc i32) (result i64)
            (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $acc)))))
            (return_call $pong (f64.convert_i32_u (local.get $acc)) (local.get $n)))
          (func $pong (param $acc f64) (param $n i64) (result i64)
            (return_call_indirect (type $hop)
              (i64.sub (local.get $n) (i64.const 1)) (local.get $acc) (i32.const 1) (i32.const 0)))
          (func $hop (param $n i64) (param $acc f64) (param $step i32) (result i64)
            (return_call $ping (local.get $n) (i32.add (i32.trunc_f64_u (local.get $acc)) (local.get $step))))
          (func $count (export "count") (param $n i64) (param $total i64) (result i64)
            (local $scratch i64)
            ;; $scratch starts at zero on every call: a restart must zero it again.
            (local.set $total (i64.add (local.get $total) (local.get $scratch)))
            (local.set $scratch (i64.const 1000))
            (if (i64.eqz (local.get $n)) (then (return (local.get $total))))
            (return_call $count (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $total) (i64.const 2))))
          (func $chain (export "chain") (param $n i32) (result i32 i64)
            (if (i32.eqz (local.get $n)) (then (return (i32.const 7) (i64.const -1))))
            (return_call $link (i64.extend_i32_u (local.get $n))))
          (func $link (param $n i64) (result i32 i64)
            (return_call $chain (i32.wrap_i64 (i64.sub (local.get $n) (i64.const 1)))))
        )
        """

    @Test(arguments: [("guard", "-O2"), ("explicit", "-O2"), ("guard", "-O0"), ("explicit", "-O0")])
    func hundredMillionTailCalls(_ mode: String, _ level: String) throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write("tail.wat", text: Self.module)
        let result = try ToolchainTesting.wasmkiln(
            ["run", path, "--bounds-checks", mode, level,
             "--invoke", "ping 34000000 0", "--invoke", "count 100000000 0", "--invoke", "chain 50000000"],
            timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "i64 34000000\ni64 200000000\ni32 7\ni64 -1\n")
    }
}
