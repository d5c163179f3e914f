;; Fibonacci two ways, with a memory and a global: a small module worth inspecting.
(module $fib
  (memory (export "memory") 1 16)
  (data (i32.const 0) "fib")

  ;; How many times $fib_recursive ran.
  (global $calls (export "calls") (mut i32) (i32.const 0))

  ;; fib(n) by its definition: exponential time, a good workload for a compiler.
  (func $fib_recursive (export "fib_recursive") (param $n i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib_recursive (i32.sub (local.get $n) (i32.const 1)))
          (call $fib_recursive (i32.sub (local.get $n) (i32.const 2)))))))

  ;; fib(n) in a loop, in i64 so that fib(90) fits.
  (func $fib_iterative (export "fib_iterative") (param $n i32) (result i64)
    (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        ;; (a, b) = (b, a + b)
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a)))
