# Builds WebAssembly modules into CMake targets with wasmkiln, at build time.
#
#   wasmkiln_add_library(NAME MODULE [BOUNDS_CHECKS guard|explicit] [OPTIONS ...])
#     Runs `wasmkiln build --lib MODULE --name NAME` and gives the imported target NAME:
#     link it (target_link_libraries(app PRIVATE NAME)) to get NAME.h on the include
#     path, libNAME.a, the runtime (libwasmkiln-rt.a) and the system libraries.
#
#   wasmkiln_add_executable(NAME MODULE [BOUNDS_CHECKS guard|explicit] [OPTIONS ...])
#     Runs `wasmkiln build MODULE -o NAME` for a WASI command and gives the imported
#     executable NAME (usable in add_test, add_custom_command ...).
#
# MODULE is a .wasm or .wat file, relative to the current source folder. OPTIONS go to
# wasmkiln as they are (-O3, --jobs 4, --dir ..., --max-memory ...). Either builds again
# when MODULE or the wasmkiln executable changes, and only then; the custom target
# NAME_wasmkiln does the work and is part of `all`. Units are compiled with the project's
# C compiler (and CMAKE_C_COMPILER_LAUNCHER, such as ccache or distcc) when C is enabled,
# else with $CC or cc, and cached in $WASMKILN_CACHE as any wasmkiln build is.
#
# The wasmkiln executable: the cache variable WASMKILN_EXECUTABLE if set, else the one
# installed beside this file (PREFIX/bin for PREFIX/lib/cmake/WasmKiln; .build/release for
# a source checkout's Support/cmake), else wasmkiln on the PATH.

include_guard(GLOBAL)

if(NOT WASMKILN_EXECUTABLE)
  set(WASMKILN_SEARCHED
      "${CMAKE_CURRENT_LIST_DIR}/../../../bin" "${CMAKE_CURRENT_LIST_DIR}/../../.build/release")
  find_program(WASMKILN_EXECUTABLE wasmkiln PATHS ${WASMKILN_SEARCHED} NO_DEFAULT_PATH)
  find_program(WASMKILN_EXECUTABLE wasmkiln)
endif()

if(WASMKILN_EXECUTABLE AND NOT WASMKILN_VERSION)
  execute_process(COMMAND "${WASMKILN_EXECUTABLE}" --version
                  OUTPUT_VARIABLE _wasmkiln_version RESULT_VARIABLE _wasmkiln_status
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_wasmkiln_status EQUAL 0 AND _wasmkiln_version MATCHES "^wasmkiln ([0-9][^ ]*)")
    set(WASMKILN_VERSION "${CMAKE_MATCH_1}")
  endif()
endif()

# What a module's archive needs besides the runtime: the `Libs:` of NAME.pc after
# -lNAME -lwasmkiln-rt (CMakeTests checks that the two agree).
set(WASMKILN_SYSTEM_LIBRARIES m pthread)

# The command prefix that runs wasmkiln with CC set to the project's compiler.
function(_wasmkiln_command out)
  set(command "${WASMKILN_EXECUTABLE}")
  if(CMAKE_C_COMPILER)
    string(JOIN " " cc ${CMAKE_C_COMPILER_LAUNCHER} "${CMAKE_C_COMPILER}")
    set(command "${CMAKE_COMMAND}" -E env "CC=${cc}" "${WASMKILN_EXECUTABLE}")
  endif()
  set(${out} "${command}" PARENT_SCOPE)
endfunction()

# Parses the shared arguments: sets module (absolute), flags and depends in the caller.
macro(_wasmkiln_arguments function name)
  cmake_parse_arguments(_wk "" "BOUNDS_CHECKS" "OPTIONS" ${ARGN})
  if(NOT WASMKILN_EXECUTABLE)
    message(FATAL_ERROR "${function}: wasmkiln not found; set WASMKILN_EXECUTABLE")
  endif()
  list(LENGTH _wk_UNPARSED_ARGUMENTS _wk_count)
  if(NOT _wk_count EQUAL 1)
    message(FATAL_ERROR "${function}(${name} MODULE [BOUNDS_CHECKS guard|explicit] [OPTIONS ...]): "
                        "one module expected, got '${_wk_UNPARSED_ARGUMENTS}'")
  endif()
  get_filename_component(module "${_wk_UNPARSED_ARGUMENTS}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(flags ${_wk_OPTIONS})
  if(DEFINED _wk_BOUNDS_CHECKS)
    if(NOT _wk_BOUNDS_CHECKS MATCHES "^(guard|explicit)$")
      message(FATAL_ERROR "${function}(${name}): BOUNDS_CHECKS is guard or explicit, not '${_wk_BOUNDS_CHECKS}'")
    endif()
    list(APPEND flags --bounds-checks "${_wk_BOUNDS_CHECKS}")
  endif()
  # A new wasmkiln may lower differently: rebuild with it.
  set(depends "${module}" "${WASMKILN_EXECUTABLE}")
endmacro()

function(wasmkiln_add_library name)
  _wasmkiln_arguments(wasmkiln_add_library "${name}" ${ARGN})
  # wasmkiln refuses other names too (C keywords, wk_...), at build time.
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "wasmkiln_add_library(${name}): NAME is the C prefix, so it must be a C identifier")
  endif()
  set(folder "${CMAKE_CURRENT_BINARY_DIR}/wasmkiln/${name}")
  set(library "${folder}/lib${name}.a")
  set(runtime "${folder}/libwasmkiln-rt.a")
  _wasmkiln_command(command)
  # The archives are the outputs, written afresh on every run. wasmkiln keeps the timestamp
  # of a header whose text did not change, and as a byproduct CMake leaves it alone too
  # (it touches extra outputs), so code including NAME.h is not compiled again for nothing.
  add_custom_command(
    OUTPUT "${library}" "${runtime}"
    BYPRODUCTS "${folder}/${name}.h" "${folder}/${name}.pc"
    COMMAND ${command} build --lib "${module}" --name "${name}" -o "${folder}" ${flags}
    DEPENDS ${depends}
    COMMENT "wasmkiln: building library ${name} from ${module}"
    VERBATIM)
  add_custom_target(${name}_wasmkiln ALL DEPENDS "${library}" "${runtime}")

  # Imported targets' include folders must exist when CMake generates the build.
  file(MAKE_DIRECTORY "${folder}")
  add_library(${name} STATIC IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES
    IMPORTED_LOCATION "${library}"
    IMPORTED_LINK_INTERFACE_LANGUAGES C
    INTERFACE_INCLUDE_DIRECTORIES "${folder}"
    INTERFACE_LINK_LIBRARIES "${runtime};${WASMKILN_SYSTEM_LIBRARIES}")
  # Whatever links NAME waits for the archives and the header.
  add_dependencies(${name} ${name}_wasmkiln)
endfunction()

function(wasmkiln_add_executable name)
  _wasmkiln_arguments(wasmkiln_add_executable "${name}" ${ARGN})
  set(program "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/wasmkiln/${name}.stamp")
  _wasmkiln_command(command)
  # The custom target depends on a stamp, not on the program: CMake takes a dependency on
  # the program's path for one on the imported target NAME, which depends on the custom
  # target, a cycle.
  add_custom_command(
    OUTPUT "${stamp}" "${program}"
    COMMAND ${command} build "${module}" -o "${program}" ${flags}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${depends}
    COMMENT "wasmkiln: building executable ${name} from ${module}"
    VERBATIM)
  add_custom_target(${name}_wasmkiln ALL DEPENDS "${stamp}")
  add_executable(${name} IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION "${program}")
  add_dependencies(${name} ${name}_wasmkiln)
endfunction()
