# CMake toolchain file for faasm: builds wasm32-wasi modules with faasm-cc.
# faasm-cmake passes it as CMAKE_TOOLCHAIN_FILE together with FAASM_BIN_DIR
# (the directory holding faasm-cc, faasm-c++, ... and faasm). Used directly,
# the tools are looked up on PATH:
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=$(faasm-cc env | sed -n 's/^FAASM_CMAKE_TOOLCHAIN=//p') -B build
#
# Written by faasm-cc into its sysroot (<sysroot>/share/cmake); do not edit there.

set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}/Modules")

if(NOT FAASM_BIN_DIR AND DEFINED ENV{FAASM_BIN_DIR})
  set(FAASM_BIN_DIR "$ENV{FAASM_BIN_DIR}")
endif()
# try_compile projects re-read this file: give them the same directory.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FAASM_BIN_DIR)

function(_faasm_tool var name)
  if(FAASM_BIN_DIR AND EXISTS "${FAASM_BIN_DIR}/${name}")
    set(${var} "${FAASM_BIN_DIR}/${name}" PARENT_SCOPE)
  else()
    find_program(_faasm_found ${name})
    if(_faasm_found)
      set(${var} "${_faasm_found}" PARENT_SCOPE)
    else()
      set(${var} "${name}" PARENT_SCOPE)
    endif()
    unset(_faasm_found CACHE)
  endif()
endfunction()

_faasm_tool(_faasm_cc faasm-cc)
_faasm_tool(_faasm_cxx faasm-c++)
_faasm_tool(_faasm_ar faasm-ar)
_faasm_tool(_faasm_ranlib faasm-ranlib)
_faasm_tool(_faasm_nm faasm-nm)
_faasm_tool(_faasm_mpicc faasm-mpicc)
_faasm_tool(_faasm_mpicxx faasm-mpicxx)
_faasm_tool(_faasm_run faasm)

set(CMAKE_C_COMPILER "${_faasm_cc}")
set(CMAKE_CXX_COMPILER "${_faasm_cxx}")
set(CMAKE_AR "${_faasm_ar}" CACHE FILEPATH "faasm archiver")
set(CMAKE_RANLIB "${_faasm_ranlib}" CACHE FILEPATH "faasm ranlib")
set(CMAKE_NM "${_faasm_nm}" CACHE FILEPATH "faasm nm")
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")

# try_run and ctest run modules with `faasm run`.
set(CMAKE_CROSSCOMPILING_EMULATOR "${_faasm_run};run")

# find_package(MPI) uses the faasm MPI wrappers.
set(MPI_C_COMPILER "${_faasm_mpicc}")
set(MPI_CXX_COMPILER "${_faasm_mpicxx}")

# Search the faasm sysroot for libraries and headers, the host for programs.
get_filename_component(_faasm_sysroot "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(CMAKE_FIND_ROOT_PATH "${_faasm_sysroot}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
