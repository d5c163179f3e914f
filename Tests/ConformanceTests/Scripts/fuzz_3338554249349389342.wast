;; seed 3338554249349389342 [guard -O2]: compile (Scripts/fuzz, shrunk)
;; A self tail call inside try_tables: gcc -O2 -Werror reported a handler and a stack slot as
;; used uninitialized, following an abnormal edge from the trap before the first try into the
;; handler (fixed by declaring wk_trap leaf). Compiling the module in every configuration is the test.

(module
  (type (;0;) (func (result i64)))
  (table (;0;) 11 1575 funcref)
  (memory (;0;) 6 7)
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (elem (;0;) declare externref)
  (func (;0;) (type 0) (result i64)
    (local f32 i64 f32 f64 f32 f32)
    global.get 4
    if ;; label = @1
      unreachable
    end
    i32.const 1
    global.set 4
    f32.const 0x1.82c0a8p+20 (;=1584138.5;)
    try_table (result f64) ;; label = @1
      block ;; label = @2
      end
      loop (type 0) (result i64) ;; label = @2
        i32.const 0
        if ;; label = @3
          unreachable
        end
        global.get 4
        global.set 4
        block ;; label = @3
          nop
          try_table (result i32) (catch_all 0 (;@3;)) (catch_all 1 (;@2;)) (catch_all 0 (;@3;)) (catch_all 1 (;@2;)) ;; label = @4
            i64.const -140737488355329
            local.tee 1
            f32.convert_i64_u
            i64.trunc_f32_s
            loop (result f32) ;; label = @5
              global.get 4
              if ;; label = @6
                unreachable
              end
              global.get 4
              global.set 4
              f32.const -0x1.38fff8p-60 (;=-0.0000000000000000010604848;)
              f32.floor
              local.tee 2
              f32.const nan (;=NaN;)
              i32.const 0
              select
              call 0
              i64.clz
              try_table (result i64) (catch_all 2 (;@3;)) (catch_all 2 (;@3;)) (catch_all 3 (;@2;)) (catch_all 2 (;@3;)) ;; label = @6
                block (result f32) ;; label = @7
                  memory.size
                  try_table (result i64) (catch_all 5 (;@2;)) (catch_all 5 (;@2;)) (catch_all 5 (;@2;)) (catch_all 2 (;@5;)) (catch_all 2 (;@5;)) (catch_all 2 (;@5;)) (catch_all 5 (;@2;)) (catch_all 5 (;@2;)) (catch_all 4 (;@3;)) (catch_all 5 (;@2;)) ;; label = @8
                    return_call 0
                    i64.extend16_s
                    local.set 1
                    block (result f32) ;; label = @9
                      i32.const 1
                      i32.const 0
                      i32.shr_s
                      call 0
                      i32.const -365238849
                      loop (result i64) ;; label = @10
                        global.get 4
                        i32.eqz
                        if ;; label = @11
                          unreachable
                        end
                        global.get 4
                        global.set 4
                        i64.const 3779893148557218003
                        f64.const 0x1.7ffep-1056 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001942706;)
                        f32.demote_f64
                        loop (result f32) ;; label = @11
                          global.get 4
                          i32.eqz
                          if ;; label = @12
                            unreachable
                          end
                          global.get 4
                          global.set 4
                          return_call 0
                          i64.ctz
                          f64.reinterpret_i64
                          f64.floor
                          local.tee 3
                          f64.const nan (;=NaN;)
                          local.get 3
                          local.get 3
                          f64.eq
                          select
                          local.get 1
                          elem.drop 0
                          block (type 0) (result i64) ;; label = @12
                            block (type 0) (result i64) ;; label = @13
                              return_call 0
                              local.set 1
                              call 0
                              f32.convert_i64_s
                              f32.abs
                              local.tee 0
                              i64.trunc_sat_f32_s
                              br 7 (;@6;)
                              i64.const 0
                            end
                          end
                          i64.shl
                          return_call 0
                          try_table (result f32) (catch_all 6 (;@5;)) (catch_all 6 (;@5;)) (catch_all 9 (;@2;)) (catch_all 6 (;@5;)) (catch_all 0 (;@11;)) (catch_all 9 (;@2;)) (catch_all 0 (;@11;)) (catch_all 6 (;@5;)) (catch_all 6 (;@5;)) ;; label = @12
                            return_call 0
                            elem.drop 0
                            return_call 0
                            i64.eq
                            return_call_indirect (type 0)
                            block ;; label = @13
                            end
                            i64.extend16_s
                            f64.convert_i64_s
                            i64.trunc_f64_s
                            i64.ctz
                            try_table (type 0) (result i64) (catch_all 10 (;@2;)) (catch_all 2 (;@10;)) (catch_all 9 (;@3;)) (catch_all 10 (;@2;)) (catch_all 7 (;@5;)) (catch_all 1 (;@11;)) (catch_all 7 (;@5;)) (catch_all 10 (;@2;)) (catch_all 7 (;@5;)) ;; label = @13
                              return_call 0
                              ref.null func
                              f32.const 0x1.376ddap-45 (;=0.000000000000034575577;)
                              try_table (catch_all 8 (;@5;)) (catch_all 8 (;@5;)) (catch_all 3 (;@10;)) ;; label = @14
                                elem.drop 0
                                f32.const 0x1.991bfap+122 (;=8496867400000000000000000000000000000;)
                                f32.neg
                                f32.sqrt
                                local.tee 4
                                f32.const nan (;=NaN;)
                                local.get 4
                                local.get 4
                                f32.eq
                                select
                                f32.const 0x1.p-137 (;=0.00000000000000000000000000000000000000000574;)
                                loop ;; label = @15
                                  i32.const 0
                                  if ;; label = @16
                                    unreachable
                                  end
                                  global.get 4
                                  global.set 4
                                  br 12 (;@3;)
                                  nop
                                  return_call 0
                                  i64.eqz
                                  f32.load offset=445661 align=1
                                  f64.const 0x1.fffffff8p-1045 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005304989472;)
                                  elem.drop 0
                                  f64.neg
                                  i32.trunc_f64_s
                                  call 0
                                  elem.drop 0
                                  return_call 0
                                  f32.const -0x1.d433eap-109 (;=-0.000000000000000000000000000000002817893;)
                                  i32.const -262145
                                  i32.load8_u offset=271906
                                  i32.load16_u offset=70577 align=1
                                  i64.extend_i32_u
                                  i32.const 327187201
                                  i32.load8_s offset=96659
                                  br_if 1 (;@14;)
                                  local.get 0
                                  br 5 (;@10;)
                                  i32.trunc_sat_f32_u
                                  i32.clz
                                  i64.load8_s offset=3383249941
                                  ref.null func
                                  br 0 (;@15;)
                                  i32.const 0
                                  f32.reinterpret_i32
                                  i64.trunc_f32_u
                                  return_call 0
                                  local.tee 1
                                  i64.extend32_s
                                  i64.ge_s
                                  i32.load8_u offset=79720
                                  f32.convert_i32_u
                                  i64.trunc_f32_u
                                  i64.clz
                                  f32.const 0x1.p-130 (;=0.000000000000000000000000000000000000000734684;)
                                  f32.floor
                                  local.tee 5
                                  f32.const nan (;=NaN;)
                                  local.get 5
                                  local.get 5
                                  f32.eq
                                  select
                                  i32.trunc_sat_f32_s
                                  if (result i64) ;; label = @16
                                    ref.null exn
                                    call 0
                                    i64.clz
                                    block ;; label = @17
                                      global.get 0
                                      global.set 0
                                    end
                                    i64.const 1
                                    i64.xor
                                    global.set 1
                                    drop
                                    i64.const 0
                                  else
                                    i64.const 0
                                  end
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  drop
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  i32.reinterpret_f32
                                  global.get 2
                                  i32.xor
                                  global.set 2
                                  global.get 1
                                  i64.xor
                                  global.set 1
                                  i64.const 0
                                  i64.xor
                                  global.set 1
                                  global.get 0
                                  i32.xor
                                  global.set 0
                                  i32.reinterpret_f32
                                  global.get 2
                                  i32.xor
                                  global.set 2
                                end
                                i32.reinterpret_f32
                                global.get 2
                                i32.xor
                                global.set 2
                                i32.reinterpret_f32
                                global.get 2
                                i32.xor
                                global.set 2
                              end
                              i32.reinterpret_f32
                              global.get 2
                              i32.xor
                              global.set 2
                              drop
                            end
                            global.get 1
                            i64.xor
                            global.set 1
                            global.get 1
                            i64.xor
                            global.set 1
                            f32.const -0x1.ec4a3ep-87 (;=-0.000000000000000000000000012427147;)
                          end
                          i32.reinterpret_f32
                          i32.const -728123457
                          i32.xor
                          global.set 2
                          global.get 1
                          i64.xor
                          global.set 1
                          global.get 1
                          i64.xor
                          global.set 1
                          i64.reinterpret_f64
                          global.get 3
                          i64.xor
                          global.set 3
                          f32.const 0x1.p-147 (;=0.000000000000000000000000000000000000000000006;)
                        end
                        i32.reinterpret_f32
                        global.get 2
                        i32.xor
                        global.set 2
                        i32.reinterpret_f32
                        global.get 2
                        i32.xor
                        global.set 2
                      end
                      global.get 1
                      i64.xor
                      global.set 1
                      global.get 0
                      i32.xor
                      global.set 0
                      i64.const 0
                      i64.xor
                      global.set 1
                      global.get 0
                      i32.xor
                      global.set 0
                      f32.const -0x1.c656dp+102 (;=-8999113000000000000000000000000;)
                    end
                    i32.reinterpret_f32
                    global.get 2
                    i32.xor
                    global.set 2
                    i64.const 1
                  end
                  global.get 1
                  i64.xor
                  global.set 1
                  global.get 0
                  i32.xor
                  global.set 0
                  f32.const 0x1.1803c2p-33 (;=0.00000000012733593;)
                end
                i32.reinterpret_f32
                global.get 2
                i32.xor
                global.set 2
                i64.const 0
              end
              i64.const 1
              i64.xor
              global.set 1
              global.get 1
              i64.xor
              global.set 1
            end
            i32.reinterpret_f32
            global.get 2
            i32.xor
            global.set 2
            global.get 1
            i64.xor
            global.set 1
            i32.const 1
          end
          global.get 0
          i32.xor
          global.set 0
        end
        i64.const 1
      end
      global.get 1
      i64.xor
      global.set 1
      f64.const -0x1.e1aeb911851d4p+113 (;=-19539363991082211000000000000000000;)
    end
    i64.reinterpret_f64
    global.get 3
    i64.xor
    global.set 3
    i32.reinterpret_f32
    global.get 2
    i32.xor
    global.set 2
    i64.const 1
  )
)
