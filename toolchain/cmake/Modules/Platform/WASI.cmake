# CMake platform module for WASI (wasm32-wasi), loaded because faasm.cmake
# sets CMAKE_SYSTEM_NAME WASI and puts this directory's parent on
# CMAKE_MODULE_PATH. Without it CMake warns "System is unknown to cmake".
set(WASI 1)
set(UNIX 1)
# Modules are statically linked executables named like wasi-sdk's.
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_STATIC_LIBRARY_PREFIX "lib")
set(CMAKE_STATIC_LIBRARY_SUFFIX ".a")
set(CMAKE_FIND_LIBRARY_PREFIXES "lib")
set(CMAKE_FIND_LIBRARY_SUFFIXES ".a")
# No shared libraries on wasm32: add_library(SHARED) becomes STATIC (CMake
# warns), and find_library never looks for .so files.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
set(CMAKE_DL_LIBS "")
