module wasmkiln.test/gowasi

go 1.21
