#!/usr/bin/env python3
"""Writes a large, deterministically generated and badly formatted Go source file for
gofmt to reformat: many functions with structs, maps, loops, switches and composite
literals, with odd spacing and alignment so that gofmt has work to do.
usage: gen_go.py OUT.go [FUNCTIONS]"""
import sys


def lcg(seed):
    # A tiny LCG: random.Random's output could change between Python versions.
    while True:
        seed = (seed * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        yield seed >> 33


def main():
    out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    r = lcg(7)
    n = lambda k: next(r) % k
    sp = lambda: " " * n(4)  # random spacing gofmt normalizes
    lines = ["package   generated", "", "import (", '"fmt"', '   "strings"', ")", ""]
    for i in range(count):
        lines += [
            f"type  T{i} struct {{",
            f"A{sp()}int",
            f"  LongerName{i}   string  `json:\"n{i}\"`",
            f"M map[string][]int",
            "}",
            "",
            f"func  (t *T{i})Work{i}( x int,y  string )(int,error){{",
            f"var total   ={n(100)}",
            f"for k:=0;k<x;k++{{ if k%{2 + n(5)}==0{{total+=k*{n(9)}}}else{{total-=1}} }}",
            f"switch  y{{",
            f'case "a{i}":  return total,nil',
            f'case "b":{sp()}total++',
            "default:",
            f'   t.M[y]=append(t.M[y],total,{n(1000)},{n(1000)})',
            "}",
            f'parts:=[]string{{ "p{n(50)}","q{n(50)}",  "r" }}',
            f"if strings.Join(parts,\",\")==y{{ return 0, fmt.Errorf(\"bad %d\",{i}) }}",
            f"m := map[string]int{{\"x\":{n(10)},\n\"longer_key\": {n(10)},\n\"k\":{sp()}{n(10)}}}",
            "for key,v:=range m{ if len(key)>v{total+=v} }",
            "return total,nil",
            "}",
            "",
        ]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


main()
