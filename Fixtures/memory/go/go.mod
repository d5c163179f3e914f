module wasmkiln.test/memory

go 1.21
