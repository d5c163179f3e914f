/* interp: a switch-dispatch bytecode interpreter.
 *
 * A small stack machine (32-bit wrapping integers, local variables, a data
 * memory, calls and returns) runs three programs assembled at start-up by a
 * tiny assembler with labels:
 *   - a sieve of Eratosthenes over its data memory;
 *   - total Collatz sequence lengths over a range (via a called subroutine);
 *   - a nested-loop integer hash over its locals.
 * Each program leaves results on an output channel that is folded into the
 * checksum, along with the number of instructions executed.
 *
 * Deterministic: integer arithmetic only.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
    OP_LOAD, OP_STORE, OP_INC,            /* locals: arg = slot; INC adds arg2 */
    OP_MLOAD, OP_MSTORE,                  /* data memory: addr on stack */
    OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_REMU,
    OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHRU, OP_NOT,
    OP_LTU, OP_EQ,
    OP_JMP, OP_JZ, OP_JNZ,                /* arg = absolute target */
    OP_CALL, OP_RET,
    OP_OUT,                               /* pop a value to the output channel */
    OP_COUNT
};

/* ---- assembler ------------------------------------------------------------ */

#define MAX_CODE 4096
#define MAX_LABELS 64

static int32_t code[MAX_CODE];
static int ncode;
static int label_at[MAX_LABELS];
static int fixup_pos[MAX_CODE], fixup_label[MAX_CODE], nfixups;

static void reset_asm(void) {
    ncode = 0;
    nfixups = 0;
    for (int i = 0; i < MAX_LABELS; i++) label_at[i] = -1;
}
static void op0(int op) { code[ncode++] = op; }
static void op1(int op, int32_t arg) { code[ncode++] = op; code[ncode++] = arg; }
static void op2(int op, int32_t a, int32_t b) { code[ncode++] = op; code[ncode++] = a; code[ncode++] = b; }
static void jump(int op, int label) {
    code[ncode++] = op;
    fixup_pos[nfixups] = ncode;
    fixup_label[nfixups++] = label;
    code[ncode++] = 0;
}
static void label(int l) { label_at[l] = ncode; }
static void resolve(void) {
    for (int i = 0; i < nfixups; i++) {
        if (label_at[fixup_label[i]] < 0) { fprintf(stderr, "undefined label\n"); exit(1); }
        code[fixup_pos[i]] = label_at[fixup_label[i]];
    }
}

/* ---- the machine ------------------------------------------------------------ */

#define STACK 1024
#define FRAMES 256
#define LOCALS 16

typedef struct {
    uint32_t *mem;
    uint32_t mem_words;
    uint64_t executed;
    uint64_t out;   /* output channel, folded */
    uint32_t nout;
} vm;

static void run(vm *m, const int32_t *prog) {
    uint32_t stack[STACK];
    uint32_t locals[FRAMES][LOCALS];
    int32_t ret_pc[FRAMES];
    int sp = 0, fp = 0, pc = 0;
    uint64_t executed = 0;
    memset(locals, 0, sizeof locals);
    uint32_t *mem = m->mem;

    for (;;) {
        executed++;
        int32_t op = prog[pc++];
        switch (op) {
        case OP_HALT:
            m->executed += executed;
            return;
        case OP_PUSH: stack[sp++] = (uint32_t)prog[pc++]; break;
        case OP_POP: sp--; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: { uint32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case OP_LOAD: stack[sp++] = locals[fp][prog[pc++]]; break;
        case OP_STORE: locals[fp][prog[pc++]] = stack[--sp]; break;
        case OP_INC: locals[fp][prog[pc]] += (uint32_t)prog[pc + 1]; pc += 2; break;
        case OP_MLOAD: {
            uint32_t a = stack[sp - 1];
            if (a >= m->mem_words) { fprintf(stderr, "bad load\n"); exit(1); }
            stack[sp - 1] = mem[a];
            break;
        }
        case OP_MSTORE: { /* ( value addr -- ) */
            uint32_t a = stack[--sp];
            uint32_t v = stack[--sp];
            if (a >= m->mem_words) { fprintf(stderr, "bad store\n"); exit(1); }
            mem[a] = v;
            break;
        }
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIVU: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
        case OP_REMU: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
        case OP_SHRU: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
        case OP_NOT: stack[sp - 1] = ~stack[sp - 1]; break;
        case OP_LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = prog[pc]; break;
        case OP_JZ: pc = stack[--sp] == 0 ? prog[pc] : pc + 1; break;
        case OP_JNZ: pc = stack[--sp] != 0 ? prog[pc] : pc + 1; break;
        case OP_CALL: /* args stay on the stack; the callee gets fresh locals */
            ret_pc[fp] = pc + 1;
            pc = prog[pc];
            fp++;
            if (fp >= FRAMES) { fprintf(stderr, "call depth\n"); exit(1); }
            memset(locals[fp], 0, sizeof locals[fp]);
            break;
        case OP_RET:
            fp--;
            pc = ret_pc[fp];
            break;
        case OP_OUT:
            m->out = (m->out ^ stack[--sp]) * 0x100000001B3ull;
            m->nout++;
            break;
        default:
            fprintf(stderr, "bad opcode %d\n", op);
            exit(1);
        }
        if (sp < 0 || sp >= STACK - 2) { fprintf(stderr, "stack\n"); exit(1); }
    }
}

/* ---- programs ------------------------------------------------------------- */

/* sieve over mem[0..n): outputs the prime count and a running sum of primes */
static void prog_sieve(uint32_t n, uint32_t rounds) {
    enum { I = 0, J = 1, COUNT = 2, SUM = 3, R = 4 };
    enum { L_ROUND, L_CLR, L_CLR_END, L_OUTER, L_NEXT, L_INNER, L_INNER_END, L_DONE, L_SCAN, L_SCAN_NEXT, L_SCAN_END };
    reset_asm();
    op1(OP_PUSH, 0); op1(OP_STORE, R);
    label(L_ROUND);
    /* clear: for i in 0..n: mem[i] = 0 */
    op1(OP_PUSH, 0); op1(OP_STORE, I);
    label(L_CLR);
    op1(OP_LOAD, I); op1(OP_PUSH, (int32_t)n); op0(OP_LTU); jump(OP_JZ, L_CLR_END);
    op1(OP_PUSH, 0); op1(OP_LOAD, I); op0(OP_MSTORE);
    op2(OP_INC, I, 1); jump(OP_JMP, L_CLR);
    label(L_CLR_END);
    /* for i = 2; i*i < n; i++ if !mem[i]: for j = i*i; j < n; j += i: mem[j] = 1 */
    op1(OP_PUSH, 2); op1(OP_STORE, I);
    label(L_OUTER);
    op1(OP_LOAD, I); op0(OP_DUP); op0(OP_MUL); op1(OP_PUSH, (int32_t)n); op0(OP_LTU); jump(OP_JZ, L_DONE);
    op1(OP_LOAD, I); op0(OP_MLOAD); jump(OP_JNZ, L_NEXT);
    op1(OP_LOAD, I); op0(OP_DUP); op0(OP_MUL); op1(OP_STORE, J);
    label(L_INNER);
    op1(OP_LOAD, J); op1(OP_PUSH, (int32_t)n); op0(OP_LTU); jump(OP_JZ, L_INNER_END);
    op1(OP_PUSH, 1); op1(OP_LOAD, J); op0(OP_MSTORE);
    op1(OP_LOAD, J); op1(OP_LOAD, I); op0(OP_ADD); op1(OP_STORE, J);
    jump(OP_JMP, L_INNER);
    label(L_INNER_END);
    label(L_NEXT);
    op2(OP_INC, I, 1); jump(OP_JMP, L_OUTER);
    label(L_DONE);
    /* count and sum the primes */
    op1(OP_PUSH, 0); op1(OP_STORE, COUNT);
    op1(OP_PUSH, 0); op1(OP_STORE, SUM);
    op1(OP_PUSH, 2); op1(OP_STORE, I);
    label(L_SCAN);
    op1(OP_LOAD, I); op1(OP_PUSH, (int32_t)n); op0(OP_LTU); jump(OP_JZ, L_SCAN_END);
    op1(OP_LOAD, I); op0(OP_MLOAD); jump(OP_JNZ, L_SCAN_NEXT);
    op2(OP_INC, COUNT, 1);
    op1(OP_LOAD, SUM); op1(OP_PUSH, 31); op0(OP_MUL); op1(OP_LOAD, I); op0(OP_ADD); op1(OP_STORE, SUM);
    label(L_SCAN_NEXT);
    op2(OP_INC, I, 1); jump(OP_JMP, L_SCAN);
    label(L_SCAN_END);
    op1(OP_LOAD, COUNT); op0(OP_OUT);
    op1(OP_LOAD, SUM); op0(OP_OUT);
    op2(OP_INC, R, 1);
    op1(OP_LOAD, R); op1(OP_PUSH, (int32_t)rounds); op0(OP_LTU); jump(OP_JNZ, L_ROUND);
    op0(OP_HALT);
    resolve();
}

/* sum of Collatz lengths for k in [1, limit), with the step count in a subroutine */
static void prog_collatz(uint32_t limit) {
    enum { K = 0, TOTAL = 1, MAXLEN = 2 };       /* main's locals */
    enum { X = 0, LEN = 1 };                    /* the subroutine's locals */
    enum { L_LOOP, L_END, L_NOTMAX, F_LEN, F_LOOP, F_ODD, F_DONE };
    reset_asm();
    op1(OP_PUSH, 1); op1(OP_STORE, K);
    label(L_LOOP);
    op1(OP_LOAD, K); op1(OP_PUSH, (int32_t)limit); op0(OP_LTU); jump(OP_JZ, L_END);
    op1(OP_LOAD, K); jump(OP_CALL, F_LEN);       /* ( k -- len ) */
    op0(OP_DUP); op1(OP_LOAD, TOTAL); op0(OP_ADD); op1(OP_STORE, TOTAL);
    op0(OP_DUP); op1(OP_LOAD, MAXLEN); op0(OP_SWAP); op0(OP_LTU); jump(OP_JZ, L_NOTMAX);
    op0(OP_DUP); op1(OP_STORE, MAXLEN);
    label(L_NOTMAX);
    op0(OP_POP);
    op2(OP_INC, K, 1); jump(OP_JMP, L_LOOP);
    label(L_END);
    op1(OP_LOAD, TOTAL); op0(OP_OUT);
    op1(OP_LOAD, MAXLEN); op0(OP_OUT);
    op0(OP_HALT);
    /* len(x): steps until x == 1 (32-bit wrapping, which stays deterministic) */
    label(F_LEN);
    op1(OP_STORE, X);
    label(F_LOOP);
    op1(OP_LOAD, X); op1(OP_PUSH, 1); op0(OP_EQ); jump(OP_JNZ, F_DONE);
    op2(OP_INC, LEN, 1);
    op1(OP_LOAD, X); op1(OP_PUSH, 1); op0(OP_AND); jump(OP_JNZ, F_ODD);
    op1(OP_LOAD, X); op1(OP_PUSH, 1); op0(OP_SHRU); op1(OP_STORE, X); jump(OP_JMP, F_LOOP);
    label(F_ODD);
    op1(OP_LOAD, X); op1(OP_PUSH, 3); op0(OP_MUL); op1(OP_PUSH, 1); op0(OP_ADD); op1(OP_STORE, X);
    jump(OP_JMP, F_LOOP);
    label(F_DONE);
    op1(OP_LOAD, LEN);
    op0(OP_RET);
    resolve();
}

/* nested loops mixing an accumulator: for i < n: for j < m: h = (h ^ (i*j)) * p + (h >> 13) */
static void prog_mix(uint32_t n, uint32_t m) {
    enum { I = 0, J = 1, H = 2 };
    enum { L_I, L_J, L_J_END, L_I_END };
    reset_asm();
    op1(OP_PUSH, 0x12345); op1(OP_STORE, H);
    label(L_I);
    op1(OP_LOAD, I); op1(OP_PUSH, (int32_t)n); op0(OP_LTU); jump(OP_JZ, L_I_END);
    op1(OP_PUSH, 0); op1(OP_STORE, J);
    label(L_J);
    op1(OP_LOAD, J); op1(OP_PUSH, (int32_t)m); op0(OP_LTU); jump(OP_JZ, L_J_END);
    op1(OP_LOAD, H); op1(OP_LOAD, I); op1(OP_LOAD, J); op0(OP_MUL); op0(OP_XOR);
    op1(OP_PUSH, 16777619); op0(OP_MUL);
    op1(OP_LOAD, H); op1(OP_PUSH, 13); op0(OP_SHRU); op0(OP_ADD);
    op1(OP_LOAD, J); op1(OP_PUSH, 7); op0(OP_REMU); op0(OP_XOR);
    op1(OP_STORE, H);
    op2(OP_INC, J, 1); jump(OP_JMP, L_J);
    label(L_J_END);
    op1(OP_LOAD, H); op0(OP_OUT);
    op2(OP_INC, I, 1); jump(OP_JMP, L_I);
    label(L_I_END);
    op0(OP_HALT);
    resolve();
}

int main(void) {
    vm m;
    m.mem_words = 1u << 20;
    m.mem = calloc(m.mem_words, sizeof(uint32_t));
    if (!m.mem) { fprintf(stderr, "out of memory\n"); return 1; }
    m.executed = 0;
    m.out = 0xCBF29CE484222325ull;
    m.nout = 0;

    prog_sieve(1u << 20, 4);
    run(&m, code);
    prog_collatz(150000);
    run(&m, code);
    prog_mix(2500, 4000);
    run(&m, code);

    uint64_t h = m.out ^ (m.executed * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)m.nout << 48);
    free(m.mem);
    printf("checksum: %016llx\n", (unsigned long long)h);
    return 0;
}
