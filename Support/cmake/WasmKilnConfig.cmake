# find_package(WasmKiln): the wasmkiln compiler, and wasmkiln_add_library /
# wasmkiln_add_executable (WasmKiln.cmake) to build WebAssembly modules as targets.
# Installed by Scripts/install as PREFIX/lib/cmake/WasmKiln/.
include("${CMAKE_CURRENT_LIST_DIR}/WasmKiln.cmake")

if(WASMKILN_EXECUTABLE)
  set(WasmKiln_VERSION "${WASMKILN_VERSION}")
else()
  set(WasmKiln_FOUND FALSE)
  set(WasmKiln_NOT_FOUND_MESSAGE
      "wasmkiln not found beside this package (${WASMKILN_SEARCHED}) or on PATH; set WASMKILN_EXECUTABLE to it")
endif()
