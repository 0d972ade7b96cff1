package toolchain

// Version is the toolchain's version. It is part of the sysroot cache key:
// bump it when the way the sysroot is assembled changes.
const Version = "0.1.0"
