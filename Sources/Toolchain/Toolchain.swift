// The C compiler driver, the build cache and the loader live here (being written).
