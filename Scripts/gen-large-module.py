#!/usr/bin/env python3
"""Writes a large, valid, deterministic WebAssembly module for benchmarking the front end.

    Scripts/gen-large-module.py OUT.wasm [--code-mb 24] [--seed 1]

Function bodies mix what compilers emit: locals, nested block/loop/if, br_if,
br_table switches, direct and indirect calls, loads and stores, integer and float
arithmetic, conversions, select, globals and some SIMD. The module also has a
table with an element segment, exports and a name section. Every expression is
built with a known result type, so the output validates by construction (the
bench script checks it with `wasm-tools validate` anyway).
"""
import argparse
import random
import struct
import sys

I32, I64, F32, F64, V128, FUNCREF = 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70
NUMERIC = (I32, I64, F32, F64)
EMPTY_BLOCK = 0x40


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def name(text):
    data = text.encode()
    return uleb(len(data)) + data


def section(section_id, payload):
    return bytes([section_id]) + uleb(len(payload)) + payload


# Opcode tables by operand and result types.
BINARY = {
    I32: [0x6A, 0x6B, 0x6C, 0x6D, 0x6F, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77],
    I64: [0x7C, 0x7D, 0x7E, 0x7F, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89],
    F32: [0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98],
    F64: [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6],
}
UNARY = {
    I32: [0x67, 0x68, 0x69, 0xC0, 0xC1],
    I64: [0x79, 0x7A, 0x7B, 0xC2, 0xC3, 0xC4],
    F32: [0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91],
    F64: [0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F],
}
COMPARE = {  # operand type -> opcodes producing i32
    I32: [0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F],
    I64: [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A],
    F32: [0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60],
    F64: [0x61, 0x62, 0x63, 0x64, 0x65, 0x66],
}
CONVERT = {  # result type -> [(operand type, opcode bytes)]
    I32: [(I64, b"\xA7"), (F32, b"\xFC\x00"), (F64, b"\xFC\x03"), (F32, b"\xBC"), (I64, b"\x50")],
    I64: [(I32, b"\xAC"), (I32, b"\xAD"), (F64, b"\xFC\x06"), (F64, b"\xBD")],
    F32: [(I32, b"\xB2"), (I64, b"\xB5"), (F64, b"\xB6"), (I32, b"\xBE")],
    F64: [(I32, b"\xB7"), (I64, b"\xBA"), (F32, b"\xBB"), (I64, b"\xBF")],
}
LOAD = {  # result type -> [(opcode, natural alignment log2)]
    I32: [(0x28, 2), (0x2C, 0), (0x2D, 0), (0x2E, 1), (0x2F, 1)],
    I64: [(0x29, 3), (0x30, 0), (0x33, 1), (0x35, 2)],
    F32: [(0x2A, 2)],
    F64: [(0x2B, 3)],
}
STORE = {
    I32: [(0x36, 2), (0x3A, 0), (0x3B, 1)],
    I64: [(0x37, 3), (0x3C, 0), (0x3E, 2)],
    F32: [(0x38, 2)],
    F64: [(0x39, 3)],
}
SIMD_BINARY = [0x6E, 0x71, 0x8E, 0x91, 0xAE, 0xB1, 0xB5, 0xE4, 0xE5, 0xE6, 0x4E, 0x50, 0x51]  # v128 v128 -> v128
SIMD_SPLAT = {I32: 0x11, I64: 0x12, F32: 0x13, F64: 0x14}  # i32x4, i64x2, f32x4, f64x2 .splat


class FunctionWriter:
    """Writes one body. `labels` holds, innermost last, the value type a branch to
    that label carries (None for no value)."""

    def __init__(self, gen, params, result, rng):
        self.gen = gen
        self.rng = rng
        self.result = result
        self.out = bytearray()
        self.locals_by_type = {t: [] for t in NUMERIC + (V128,)}
        for index, t in enumerate(params):
            self.locals_by_type[t].append(index)
        runs = []
        next_index = len(params)
        for t in NUMERIC + (V128,):
            count = rng.randint(0, 6) if t != V128 else rng.choice((0, 0, 1, 2))
            if count:
                runs.append(uleb(count) + bytes([t]))
                self.locals_by_type[t].extend(range(next_index, next_index + count))
                next_index += count
        self.local_decls = vec(runs)
        self.labels = [result]

    def emit(self, *parts):
        for part in parts:
            if isinstance(part, int):
                self.out.append(part)
            else:
                self.out += part

    # Expressions push exactly one value of type t.
    def expr(self, t, depth):
        rng = self.rng
        if t == V128:
            return self.simd_expr(depth)
        if depth <= 0 or rng.random() < 0.25:
            return self.leaf(t)
        choice = rng.random()
        if choice < 0.30:
            self.expr(t, depth - 1)
            self.expr(t, depth - 1)
            self.emit(rng.choice(BINARY[t]))
        elif choice < 0.40:
            self.expr(t, depth - 1)
            self.emit(rng.choice(UNARY[t]))
        elif choice < 0.50 and t == I32:
            operand = rng.choice(NUMERIC)
            self.expr(operand, depth - 1)
            self.expr(operand, depth - 1)
            self.emit(rng.choice(COMPARE[operand]))
        elif choice < 0.58:
            operand, opcode = rng.choice(CONVERT[t])
            self.expr(operand, depth - 1)
            self.emit(opcode)
        elif choice < 0.68:
            opcode, align = rng.choice(LOAD[t])
            self.address(depth)
            self.emit(opcode, uleb(rng.randint(0, align)), uleb(rng.choice((0, 0, 4, 8, 16, 1024))))
        elif choice < 0.74:
            self.expr(t, depth - 1)
            self.expr(t, depth - 1)
            self.expr(I32, depth - 1)
            self.emit(0x1B)  # select
        elif choice < 0.80:
            self.expr(I32, depth - 1)
            self.emit(0x04, t)
            self.labels.append(t)
            self.expr(t, depth - 1)
            self.emit(0x05)
            self.expr(t, depth - 1)
            self.labels.pop()
            self.emit(0x0B)
        elif choice < 0.86:
            self.emit(0x02, t)  # block with a value, maybe left early by br_if
            self.labels.append(t)
            self.statements(rng.randint(0, 2), depth - 1)
            if rng.random() < 0.5:
                self.expr(t, depth - 1)
                self.expr(I32, depth - 1)
                self.emit(0x0D, 0x00, 0x1A)  # br_if 0; drop
            self.expr(t, depth - 1)
            self.labels.pop()
            self.emit(0x0B)
        elif choice < 0.92:
            self.call(t, depth)
        elif choice < 0.96:
            self.call_indirect(t, depth)
        elif t == I32 and choice < 0.98:
            self.simd_expr(depth - 1)
            self.emit(0xFD, uleb(0x1B), rng.randint(0, 3))  # i32x4.extract_lane
        else:
            self.emit(0x23, uleb(self.gen.global_of(t, rng)))

    def leaf(self, t):
        rng = self.rng
        locals_ = self.locals_by_type[t]
        if locals_ and rng.random() < 0.6:
            self.emit(0x20, uleb(rng.choice(locals_)))
        elif t == I32:
            self.emit(0x41, sleb(rng.randint(-(1 << 31), (1 << 31) - 1) >> rng.randint(0, 31)))
        elif t == I64:
            self.emit(0x42, sleb(rng.randint(-(1 << 63), (1 << 63) - 1) >> rng.randint(0, 63)))
        elif t == F32:
            self.emit(0x43, struct.pack("<f", rng.uniform(-1e6, 1e6)))
        else:
            self.emit(0x44, struct.pack("<d", rng.uniform(-1e12, 1e12)))

    def simd_expr(self, depth):
        rng = self.rng
        choice = rng.random()
        if depth <= 0 or choice < 0.3:
            locals_ = self.locals_by_type[V128]
            if locals_ and choice < 0.15:
                self.emit(0x20, uleb(rng.choice(locals_)))
            else:
                self.emit(0xFD, uleb(12), rng.randbytes(16))  # v128.const
        elif choice < 0.6:
            self.simd_expr(depth - 1)
            self.simd_expr(depth - 1)
            self.emit(0xFD, uleb(rng.choice(SIMD_BINARY)))
        elif choice < 0.8:
            t = rng.choice(NUMERIC)
            self.expr(t, depth - 1)
            self.emit(0xFD, uleb(SIMD_SPLAT[t]))
        else:
            self.address(depth)
            self.emit(0xFD, uleb(0), uleb(rng.randint(0, 4)), uleb(rng.choice((0, 16))))  # v128.load

    def address(self, depth):
        if self.rng.random() < 0.5:
            self.emit(0x41, sleb(self.rng.randint(0, 60000)))
        else:
            self.expr(I32, min(depth - 1, 2))

    def call_args(self, function_type, depth):
        for param in function_type[0]:
            self.expr(param, depth - 1)

    def call(self, t, depth):
        index, function_type = self.gen.function_returning(t, self.rng)
        self.call_args(function_type, depth)
        self.emit(0x10, uleb(index))

    def call_indirect(self, t, depth):
        type_index = self.gen.type_returning(t, self.rng)
        self.call_args(self.gen.types[type_index], depth)
        self.emit(0x41, sleb(self.rng.randint(0, self.gen.table_size - 1)))
        self.emit(0x11, uleb(type_index), 0x00)

    # Statements leave the stack as they found it.
    def statements(self, count, depth):
        for _ in range(count):
            self.statement(depth)

    def statement(self, depth):
        rng = self.rng
        choice = rng.random()
        if depth <= 0 or choice < 0.30:
            t = rng.choice(NUMERIC)
            locals_ = self.locals_by_type[t]
            self.expr(t, min(depth, 3))
            if not locals_:
                self.emit(0x1A)  # drop
            elif rng.random() < 0.8:
                self.emit(0x21, uleb(rng.choice(locals_)))  # local.set
            else:
                self.emit(0x22, uleb(rng.choice(locals_)), 0x1A)  # local.tee; drop
        elif choice < 0.42:
            t = rng.choice(NUMERIC)
            opcode, align = rng.choice(STORE[t])
            self.address(depth)
            self.expr(t, min(depth, 3))
            self.emit(opcode, uleb(rng.randint(0, align)), uleb(rng.choice((0, 0, 4, 8, 64))))
        elif choice < 0.52:
            self.expr(I32, 2)
            self.emit(0x04, EMPTY_BLOCK)
            self.labels.append(None)
            self.statements(rng.randint(1, 4), depth - 1)
            if rng.random() < 0.6:
                self.emit(0x05)
                self.statements(rng.randint(1, 3), depth - 1)
            self.labels.pop()
            self.emit(0x0B)
        elif choice < 0.62:
            self.emit(0x02, EMPTY_BLOCK)
            self.labels.append(None)
            self.statements(rng.randint(1, 3), depth - 1)
            self.expr(I32, 2)
            self.emit(0x0D, uleb(self.empty_label()))  # br_if
            self.statements(rng.randint(0, 3), depth - 1)
            self.labels.pop()
            self.emit(0x0B)
        elif choice < 0.70:
            self.emit(0x03, EMPTY_BLOCK)  # loop { body; br_if loop }
            self.labels.append(None)
            self.statements(rng.randint(1, 4), depth - 1)
            self.expr(I32, 2)
            self.emit(0x0D, 0x00)
            self.labels.pop()
            self.emit(0x0B)
        elif choice < 0.76:
            self.switch(depth)
        elif choice < 0.84:
            t = rng.choice(NUMERIC + (None,))
            if rng.random() < 0.5:
                self.call(t, depth)
            else:
                self.call_indirect(t, depth)
            if t is not None:
                self.emit(0x1A)
        elif choice < 0.88:
            t = rng.choice(NUMERIC)
            self.expr(t, min(depth, 3))
            self.emit(0x24, uleb(self.gen.global_of(t, rng)))
        elif choice < 0.93 and self.locals_by_type[V128]:
            self.simd_expr(min(depth, 3))
            self.emit(0x21, uleb(rng.choice(self.locals_by_type[V128])))
        elif choice < 0.96:
            self.address(depth)
            self.simd_expr(min(depth, 3))
            self.emit(0xFD, uleb(11), uleb(4), uleb(0))  # v128.store
        else:
            # An early return out of a block.
            self.emit(0x02, EMPTY_BLOCK)
            self.labels.append(None)
            self.expr(I32, 2)
            self.emit(0x0D, 0x00)
            if self.result is not None:
                self.expr(self.result, 2)
            self.emit(0x0F)
            self.labels.pop()
            self.emit(0x0B)

    def empty_label(self):
        """The depth of a random enclosing label that carries no value."""
        depths = [len(self.labels) - 1 - i for i, t in enumerate(self.labels) if t is None]
        return self.rng.choice(depths)

    def switch(self, depth):
        """A C-style switch: nested blocks, a br_table in the innermost, code after each end."""
        rng = self.rng
        cases = rng.randint(2, 8)
        for _ in range(cases):
            self.emit(0x02, EMPTY_BLOCK)
            self.labels.append(None)
        self.expr(I32, 2)
        targets = [uleb(rng.randint(0, cases - 1)) for _ in range(rng.randint(cases, 3 * cases))]
        self.emit(0x0E, vec(targets), uleb(rng.randint(0, cases - 1)))
        for _ in range(cases):
            self.labels.pop()
            self.emit(0x0B)
            self.statements(rng.randint(0, 2), depth - 1)

    def body(self, target_size):
        """The code entry: size, local declarations, instructions."""
        while len(self.out) < target_size:
            self.statement(self.rng.randint(2, 6))
        if self.result is not None:
            self.expr(self.result, 4)
        self.emit(0x0B)
        return uleb(len(self.local_decls) + len(self.out)) + self.local_decls + bytes(self.out)


class ModuleGenerator:
    def __init__(self, seed, code_bytes, function_count):
        self.rng = random.Random(seed)
        rng = self.rng
        # Signatures: (params, result or None). Some take v128; results are scalar.
        self.types = [((), None), ((I32,), None), ((), I32), ((), F64), ((I64, I64), I64)]
        while len(self.types) < 24:
            params = tuple(rng.choice(NUMERIC + (I32, I32, V128)) for _ in range(rng.randint(0, 5)))
            self.types.append((params, rng.choice(NUMERIC + (None,))))
        self.imports = [("env", "log_i32", 1), ("env", "now", 3), ("env", "random", 2), ("env", "mix", 4)]
        self.function_types = [type_index for _, _, type_index in self.imports]
        self.function_types += [rng.randrange(len(self.types)) for _ in range(function_count)]
        self.functions_by_result = {}
        for index, type_index in enumerate(self.function_types):
            self.functions_by_result.setdefault(self.types[type_index][1], []).append(index)
        self.types_by_result = {}
        for index, (_, result) in enumerate(self.types):
            self.types_by_result.setdefault(result, []).append(index)
        self.globals = []  # (type, index)
        for t in NUMERIC:
            self.globals += [(t, len(self.globals)), (t, len(self.globals) + 1)]
        self.table_size = min(function_count, 2048)
        # Body sizes: mostly small, a long tail of big ones, scaled to the code size asked for.
        weights = [rng.lognormvariate(0, 1.3) for _ in range(function_count)]
        scale = code_bytes / sum(weights)
        self.body_sizes = [max(8, int(w * scale)) for w in weights]

    def function_returning(self, result, rng):
        index = rng.choice(self.functions_by_result[result])
        return index, self.types[self.function_types[index]]

    def type_returning(self, result, rng):
        return rng.choice(self.types_by_result[result])

    def global_of(self, t, rng):
        return rng.choice([index for gt, index in self.globals if gt == t])

    def encode(self):
        rng = self.rng
        imported = len(self.imports)
        defined = len(self.function_types) - imported
        types = [b"\x60" + vec([bytes([p]) for p in params]) + vec([bytes([r])] if r else [])
                 for params, r in self.types]
        imports = [name(m) + name(n) + b"\x00" + uleb(t) for m, n, t in self.imports]
        functions = [uleb(t) for t in self.function_types[imported:]]
        table = bytes([FUNCREF, 0x01]) + uleb(self.table_size) + uleb(self.table_size)
        memory = b"\x01" + uleb(1) + uleb(256)
        zero = {I32: b"\x41\x00", I64: b"\x42\x00", F32: b"\x43" + bytes(4), F64: b"\x44" + bytes(8)}
        globals_ = [bytes([t, 1]) + zero[t] + b"\x0B" for t, _ in self.globals]
        exports = [name("memory") + b"\x02\x00", name("table") + b"\x01\x00"]
        exports += [name(f"f{i}") + b"\x00" + uleb(i) for i in range(imported, imported + defined, 97)]
        table_entries = [uleb(rng.randrange(imported, imported + defined)) for _ in range(self.table_size)]
        element = b"\x00\x41\x00\x0B" + vec(table_entries)
        code = bytearray(uleb(defined))
        for index in range(defined):
            params, result = self.types[self.function_types[imported + index]]
            code += FunctionWriter(self, params, result, rng).body(self.body_sizes[index])
        function_names = vec([uleb(i) + name(f"func_{i}") for i in range(imported + defined)])
        names = b"\x00" + uleb(len(name("large"))) + name("large")
        names += b"\x01" + uleb(len(function_names)) + function_names
        return b"".join([
            b"\x00asm\x01\x00\x00\x00",
            section(1, vec(types)),
            section(2, vec(imports)),
            section(3, vec(functions)),
            section(4, vec([table])),
            section(5, vec([memory])),
            section(6, vec(globals_)),
            section(7, vec(exports)),
            section(9, vec([element])),
            section(10, bytes(code)),
            section(0, name("name") + names),
        ]), len(code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--code-mb", type=float, default=24, help="code section size in MiB (at least)")
    parser.add_argument("--functions", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    module, code_size = ModuleGenerator(args.seed, int(args.code_mb * 1024 * 1024), args.functions).encode()
    with open(args.output, "wb") as file:
        file.write(module)
    print(f"wrote {args.output}: {len(module)} bytes, code section {code_size} bytes, "
          f"{args.functions} functions", file=sys.stderr)


if __name__ == "__main__":
    main()
