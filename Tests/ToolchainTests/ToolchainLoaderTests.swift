import CWasmKiln
import CLowering
import Foundation
import Synchronization
import Testing
import Toolchain
import WasmDecoder
@testable import TestSupport

/// Building, loading, instantiating and calling compiled modules through the library API.
@Suite struct ToolchainLoaderTests {
    func instantiate(_ text: String, imports: [Extern] = [], boundsChecks: BoundsChecks = .guardPages) async throws -> Instance {
        try await ToolchainTesting.instantiate(text, imports: imports, boundsChecks: boundsChecks)
    }

    func trap(_ call: () throws(CallError) -> [Value]) -> Trap? {
        do {
            _ = try call()
            return nil
        } catch {
            guard case .trap(let trap) = error else { return nil }
            return trap
        }
    }

    @Test func callsAnExport() async throws {
        let instance = try await instantiate(try String(contentsOfFile: ToolchainTesting.fixture("add.wat"), encoding: .utf8))
        #expect(instance.module.imports.isEmpty)
        #expect(instance.module.exports.map(\.name) == ["add"])
        #expect(instance.module.exports.first?.functionType == FuncType(params: [.i32, .i32], results: [.i32]))
        #expect(try instance.call("add", [.i32(2), .i32(40)]) == [.i32(42)])
        #expect(try instance.call("add", [.i32(0xffff_ffff), .i32(1)]) == [.i32(0)])
        #expect(instance.export("missing") == nil)
    }

    @Test func trapsAreResultsAndTheInstanceGoesOn() async throws {
        let instance = try await instantiate("""
            (module
              (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
              (func (export "boom") unreachable))
            """)
        let divide = try #require(instance.function("div"))
        let byZero = trap { () throws(CallError) in try divide.call([.i32(1), .i32(0)]) }
        #expect(byZero?.code == WK_TRAP_DIVIDE_BY_ZERO)
        #expect(byZero?.message == "integer divide by zero")
        #expect(trap { () throws(CallError) in try instance.call("boom", []) }?.message == "unreachable")
        #expect(try divide.call([.i32(9), .i32(2)]) == [.i32(4)])
    }

    @Test func wrongArgumentsAreRejectedBeforeTheCall() async throws {
        let instance = try await instantiate("(module (func (export \"f\") (param i64)))")
        #expect(throws: CallError.invalidArguments("expects 1 argument, got 0")) { try instance.call("f", []) }
        #expect(throws: CallError.invalidArguments("argument 1 must be i64, not i32")) { try instance.call("f", [.i32(1)]) }
        #expect(try instance.call("f", [.i64(1)]) == [])
    }

    @Test func everyValueTypeCrossesExactly() async throws {
        let instance = try await instantiate("""
            (module
              (func (export "f32") (param f32) (result f32) (local.get 0))
              (func (export "f64") (param f64) (result f64) (local.get 0))
              (func (export "v128") (param v128) (result v128) (local.get 0))
              (func (export "ref") (param externref) (result externref) (local.get 0))
              (func (export "swap") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
                (local.get 3) (local.get 2) (local.get 1) (local.get 0)))
            """)
        for bits: UInt32 in [0x7fa0_0000, 0xffc0_0001, 0x8000_0000, 1] {
            #expect(try instance.call("f32", [.f32(bits: bits)]) == [.f32(bits: bits)])
        }
        #expect(try instance.call("f64", [.f64(bits: 0x7ff0_0000_0000_0001)]) == [.f64(bits: 0x7ff0_0000_0000_0001)])
        #expect(try instance.call("v128", [.v128(lo: 1, hi: 2)]) == [.v128(lo: 1, hi: 2)])
        #expect(try instance.call("ref", [.externref(0x1234)]) == [.externref(0x1234)])
        #expect(try instance.call("swap", [.i32(0xffff_fffe), .i64(1 << 40), .f32(-2.5), .f64(0.25)])
            == [.f64(0.25), .f32(-2.5), .i64(1 << 40), .i32(0xffff_fffe)])
    }

    @Test func hostValuesEnterAnyrefBoxedAndLeaveAsThemselves() async throws {
        let library = try await ModuleLibrary.load(try ToolchainTesting.validated("""
            (module
              (type $point (struct (field i32)))
              (func (export "id") (param anyref) (result anyref) (local.get 0))
              (func (export "swap") (param anyref anyref) (result anyref anyref) (local.get 1) (local.get 0))
              (func (export "point") (result anyref) (struct.new $point (i32.const 7)))
              (func (export "is_point") (param anyref) (result i32) (ref.test (ref $point) (local.get 0)))
              (func (export "is_eq") (param anyref) (result i32) (ref.test eqref (local.get 0)))
              (func (export "x") (param (ref $point)) (result i32) (struct.get $point 0 (local.get 0))))
            """), builder: try await ToolchainTesting.builder())
        // A GC instance is used on the thread that made it: no suspension point from here.
        try Self.passHostValues(try library.instantiate())
    }

    static func passHostValues(_ instance: Instance) throws {
        // Odd and even host values alike: an odd one is no i31 here.
        #expect(try instance.call("id", [.externref(7)]) == [.externref(7)])
        #expect(try instance.call("swap", [.externref(8), .externref(9)]) == [.externref(9), .externref(8)])
        #expect(try instance.call("is_eq", [.externref(8)]) == [.i32(0)])
        #expect(try instance.call("id", [.externref(0)]) == [.externref(0)])
        // An object the module gave out goes back in as itself.
        let point = try instance.call("point", [])
        #expect(point != [.externref(0)])
        #expect(try instance.call("is_point", point) == [.i32(1)])
        #expect(try instance.call("id", point) == point)
        #expect(try instance.call("is_point", [.externref(8)]) == [.i32(0)])
        // A typed reference parameter takes no host value.
        #expect(throws: CallError.self) { try instance.call("x", [.externref(8)]) }
        #expect(throws: CallError.self) { try instance.call("x", [.externref(0)]) }
    }

    @Test func aGCInstanceIsCalledOnItsOwnThreadOnly() async throws {
        let library = try await ModuleLibrary.load(try ToolchainTesting.validated("""
            (module (type $box (struct (field i32)))
              (func (export "f") (result i32) (struct.get $box 0 (struct.new $box (i32.const 5)))))
            """), builder: try await ToolchainTesting.builder())
        let instance = try library.instantiate()
        #expect(try instance.call("f", []) == [.i32(5)])
        nonisolated(unsafe) let function = try #require(instance.function("f"))
        let outcome = Mutex<Result<[Value], CallError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.withLock { $0 = Result { () throws(CallError) in try function.call([]) } }
            done.signal()
        }.start()
        done.wait()
        guard case .failure(.trap(let trap))? = outcome.withLock({ $0 }) else {
            Issue.record("called on another thread: \(String(describing: outcome.withLock { $0 }))")
            return
        }
        #expect(trap.code == WK_TRAP_WRONG_THREAD)
        #expect(trap.message.contains("thread other than the one that created it"))
    }

    @Test func hostFunctionsGlobalsAndMemories() async throws {
        let runtime = try await Self.loadRuntime()
        let double = try Function.host(runtime: runtime, type: FuncType(params: [.i32], results: [.i32])) { arguments in
            guard case .i32(let value) = arguments[0] else { return [] }
            return [.i32(value &* 2)]
        }
        let fail = try Function.host(runtime: runtime, type: FuncType(params: [], results: [])) { _ throws(HostTrap) in
            throw HostTrap("host says no")
        }
        let offset = Global.create(.i32(7), mutable: false)
        let memory = try Memory.create(runtime: runtime, pages: 1, boundsChecks: .guardPages)
        let instance = try await instantiate("""
            (module
              (import "env" "double" (func $double (param i32) (result i32)))
              (import "env" "fail" (func $fail))
              (import "env" "offset" (global $offset i32))
              (import "env" "memory" (memory 1))
              (global $counter (export "counter") (mut i64) (i64.const 5))
              (func (export "twice_plus") (param i32) (result i32)
                (i32.add (call $double (local.get 0)) (global.get $offset)))
              (func (export "fail") (call $fail))
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """, imports: [.function(double), .function(fail), .global(offset), .memory(memory)])

        #expect(instance.module.imports.map(\.description) == [
            "func \"env\" \"double\"", "func \"env\" \"fail\"", "global \"env\" \"offset\"", "memory \"env\" \"memory\"",
        ])
        #expect(try instance.call("twice_plus", [.i32(10)]) == [.i32(27)])
        let hostTrap = trap { () throws(CallError) in try instance.call("fail", []) }
        #expect(hostTrap?.code == WK_TRAP_HOST)
        #expect(hostTrap?.message == "host says no")

        memory.bytes[100] = 0xab
        #expect(try instance.call("peek", [.i32(100)]) == [.i32(0xab)])
        guard case .global(let counter)? = instance.export("counter") else {
            Issue.record("no global export")
            return
        }
        #expect(counter.type == .i64)
        #expect(counter.isMutable)
        #expect(counter.value == .i64(5))
        counter.value = .i64(6)
        #expect(counter.value == .i64(6))
    }

    static func loadRuntime() async throws -> RuntimeLibrary {
        try RuntimeLibrary.load(try await ToolchainTesting.builder().runtimeLibrary().path)
    }

    @Test func importsMustFit() async throws {
        let library = try await ModuleLibrary.load(
            try ToolchainTesting.validated("(module (import \"env\" \"f\" (func)))"), builder: try await ToolchainTesting.builder())
        #expect(throws: InstantiationError.self) { try library.instantiate([]) }
        let memory = try Memory.create(runtime: library.runtime, pages: 1, boundsChecks: .guardPages)
        #expect(throws: InstantiationError.self) { try library.instantiate([.memory(memory)]) }
    }

    @Test func startFunctionTrapFailsInstantiation() async throws {
        await #expect(throws: InstantiationError.self) {
            try await instantiate("(module (func $start unreachable) (start $start))")
        }
    }

    @Test(arguments: [BoundsChecks.guardPages, .explicit])
    func memoryAccessesOutOfBoundsTrap(_ boundsChecks: BoundsChecks) async throws {
        let instance = try await instantiate("""
            (module (memory 1) (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """, boundsChecks: boundsChecks)
        #expect(instance.module.boundsChecks == boundsChecks)
        #expect(try instance.call("load", [.i32(65532)]) == [.i32(0)])
        #expect(trap { () throws(CallError) in try instance.call("load", [.i32(65533)]) }?.code == WK_TRAP_MEMORY_OUT_OF_BOUNDS)
    }

    @Test func deepRecursionExhaustsTheStack() async throws {
        // Not a tail call (the store comes after it), so the C compiler cannot make a loop of it.
        let instance = try await instantiate("""
            (module (memory 1)
              (func $deep (export "deep") (param i32)
                (call $deep (i32.add (local.get 0) (i32.const 1)))
                (i32.store (i32.const 0) (local.get 0))))
            """)
        #expect(trap { () throws(CallError) in try instance.call("deep", [.i32(0)]) }?.code == WK_TRAP_CALL_STACK_EXHAUSTED)
    }

    @Test func instancesOnSeveralThreads() async throws {
        let text = try String(contentsOfFile: ToolchainTesting.fixture("fib.wat"), encoding: .utf8)
        try await withThrowingTaskGroup(of: [Value].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let instance = try await ToolchainTesting.instantiate(text)
                    return try instance.call("fib_recursive", [.i32(20)]) + instance.call("fib_iterative", [.i32(90)])
                }
            }
            for try await results in group {
                #expect(results == [.i32(6765), .i64(2_880_067_194_370_816_120)])
            }
        }
    }
}
