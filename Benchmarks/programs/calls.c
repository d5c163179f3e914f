/* calls: recursion, direct calls and indirect calls.
 *
 *  - fib: the doubly recursive Fibonacci function;
 *  - tak: the Takeuchi function (deep, call-dominated recursion);
 *  - an expression evaluator: a random expression tree whose nodes hold an
 *    index into a table of function pointers; each operator function
 *    evaluates its children through that table again, so every node visit is
 *    an indirect call (call_indirect in wasm);
 *  - a small "virtual method" loop: objects carry a pointer to a table of
 *    operations and are stepped through it many times.
 *
 * Deterministic integer arithmetic only (wrapping uint32/uint64).
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- plain recursion ------------------------------------------------------ */

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int32_t tak(int32_t x, int32_t y, int32_t z) {
    if (y >= x) return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

/* ---- expression trees with function-pointer dispatch --------------------- */

typedef struct node node;
typedef uint32_t (*op_fn)(const node *, uint32_t x);

struct node {
    uint32_t op; /* index into ops[] */
    uint32_t value;
    const node *a, *b, *c;
};

static op_fn ops[10];

static inline uint32_t eval(const node *n, uint32_t x) { return ops[n->op](n, x); }

static uint32_t op_const(const node *n, uint32_t x) { (void)x; return n->value; }
static uint32_t op_var(const node *n, uint32_t x) { return x ^ n->value; }
static uint32_t op_add(const node *n, uint32_t x) { return eval(n->a, x) + eval(n->b, x); }
static uint32_t op_sub(const node *n, uint32_t x) { return eval(n->a, x) - eval(n->b, x); }
static uint32_t op_mul(const node *n, uint32_t x) { return eval(n->a, x) * (eval(n->b, x) | 1u); }
static uint32_t op_xor(const node *n, uint32_t x) { return eval(n->a, x) ^ (eval(n->b, x) >> 3); }
static uint32_t op_rot(const node *n, uint32_t x) {
    uint32_t v = eval(n->a, x);
    uint32_t r = n->value & 31;
    return r ? (v << r) | (v >> (32 - r)) : v;
}
static uint32_t op_min(const node *n, uint32_t x) {
    uint32_t p = eval(n->a, x), q = eval(n->b, x);
    return p < q ? p : q;
}
static uint32_t op_max(const node *n, uint32_t x) {
    uint32_t p = eval(n->a, x), q = eval(n->b, x);
    return p > q ? p : q;
}
/* conditional: only one branch is evaluated */
static uint32_t op_if(const node *n, uint32_t x) {
    return (eval(n->a, x) & 4u) ? eval(n->b, x) : eval(n->c, x);
}

static uint64_t rng = 0x853C49E6748FEA9Bull;
static uint32_t next_u32(void) {
    /* PCG-style LCG with an xorshift output */
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t xs = (uint32_t)(((rng >> 18) ^ rng) >> 27);
    uint32_t rot = (uint32_t)(rng >> 59);
    return (xs >> rot) | (xs << ((32 - rot) & 31));
}

static node *pool;
static uint32_t pool_used, pool_cap;

static const node *build(int depth) {
    node *n = &pool[pool_used++];
    uint32_t r = next_u32();
    n->value = next_u32();
    n->a = n->b = n->c = NULL;
    /* the top levels always branch; the pool bounds the size of the whole tree */
    if (depth == 0 || pool_used + 3 * (uint32_t)depth >= pool_cap || (depth < 10 && (r & 15) == 0)) {
        n->op = (r >> 4) & 1; /* const or var */
        return n;
    }
    n->op = 2 + (r >> 8) % 8;
    n->a = build(depth - 1);
    if (n->op != 6) n->b = build(depth - 1);
    if (n->op == 9) n->c = build(depth - 1);
    return n;
}

/* ---- objects with an operations table ------------------------------------ */

typedef struct object object;
typedef struct {
    void (*step)(object *, uint32_t);
    uint32_t (*peek)(const object *);
} vtable;
struct object {
    const vtable *vt;
    uint32_t s0, s1;
};

static void counter_step(object *o, uint32_t k) { o->s0 += k; o->s1 += o->s0 >> 7; }
static uint32_t counter_peek(const object *o) { return o->s0 ^ o->s1; }
static void lfsr_step(object *o, uint32_t k) {
    uint32_t bit = ((o->s0 >> 0) ^ (o->s0 >> 2) ^ (o->s0 >> 3) ^ (o->s0 >> 5)) & 1u;
    o->s0 = (o->s0 >> 1) | (bit << 31);
    o->s1 ^= k;
}
static uint32_t lfsr_peek(const object *o) { return o->s0 + o->s1; }
static void mixer_step(object *o, uint32_t k) {
    o->s0 = (o->s0 ^ k) * 0x9E3779B1u;
    o->s1 = (o->s1 << 5 | o->s1 >> 27) ^ o->s0;
}
static uint32_t mixer_peek(const object *o) { return o->s1; }

static const vtable vtables[3] = {
    {counter_step, counter_peek},
    {lfsr_step, lfsr_peek},
    {mixer_step, mixer_peek},
};

int main(void) {
    uint64_t sum = 0;

    ops[0] = op_const; ops[1] = op_var; ops[2] = op_add; ops[3] = op_sub;
    ops[4] = op_mul;   ops[5] = op_xor; ops[6] = op_rot; ops[7] = op_min;
    ops[8] = op_max;   ops[9] = op_if;

    /* fib */
    for (uint32_t n = 20; n <= 36; n++) sum = sum * 31 + fib(n);

    /* tak */
    sum = sum * 31 + (uint32_t)tak(18, 12, 6);
    sum = sum * 31 + (uint32_t)tak(26, 18, 9);

    /* expression trees */
    pool_cap = 1u << 14;
    pool = malloc(sizeof(node) * pool_cap);
    if (!pool) { fprintf(stderr, "out of memory\n"); return 1; }
    for (int t = 0; t < 8; t++) {
        pool_used = 0;
        const node *root = build(13);
        uint32_t acc = (uint32_t)t;
        for (uint32_t x = 0; x < 2400; x++) acc = acc * 0x01000193u ^ eval(root, x * 0x9E3779B9u + acc);
        sum = sum * 1000003u + acc + pool_used;
    }
    free(pool);

    /* objects */
    object objs[64];
    for (int i = 0; i < 64; i++) {
        objs[i].vt = &vtables[next_u32() % 3];
        objs[i].s0 = next_u32() | 1u;
        objs[i].s1 = next_u32();
    }
    uint32_t k = 1;
    for (uint32_t round = 0; round < 300000; round++) {
        for (int i = 0; i < 64; i++) {
            object *o = &objs[(i * 13 + round) & 63];
            o->vt->step(o, k);
            k = k * 0x2C1B3C6Du + o->vt->peek(o);
        }
    }
    sum = sum * 1000003u + k;
    for (int i = 0; i < 64; i++) sum = sum * 31 + objs[i].vt->peek(&objs[i]);

    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
