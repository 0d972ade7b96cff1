/*
 * lammps-port/wasi/compat.h: force-included (-include) into every LAMMPS
 * source file of the wasm build only.
 *
 * wasi-libc leaves out POSIX calls that WASI preview 1 cannot provide, and
 * does not even declare them, so code that merely names them fails to
 * compile. LAMMPS names them on paths the ported runs never take:
 *
 *   popen/pclose  dump.cpp, dump_movie.cpp, read_data.cpp, reader.cpp
 *                 (gzip/ffmpeg pipes), lammps.cpp (the -help pager)
 *   dup/dup2/pipe fmtlib_os.cpp (fmt::file, unused by LAMMPS; fmt 8's
 *                 os.h turns it on whenever <fcntl.h> exists)
 *
 * Here they are declared and fail the way POSIX says a call fails when the
 * system cannot do it: -1 (or NULL) with errno ENOSYS. LAMMPS then reports
 * its own error ("Cannot open compressed file ...") or, for the pager,
 * writes to the screen as it does when popen fails natively.
 *
 * This belongs in the faasm toolchain (declarations plus ENOSYS stubs in
 * libfaasm, like wasi-libc's _WASI_EMULATED_* libraries); it lives here
 * until it is there, so LAMMPS's sources need no patch for it.
 */
#ifndef LAMMPS_PORT_WASI_COMPAT_H
#define LAMMPS_PORT_WASI_COMPAT_H
#if defined(__wasi__)

#include <errno.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline FILE *popen(const char *command, const char *type) {
  (void)command;
  (void)type;
  errno = ENOSYS;
  return NULL;
}

static inline int pclose(FILE *stream) {
  (void)stream;
  errno = ENOSYS;
  return -1;
}

static inline int dup(int fd) {
  (void)fd;
  errno = ENOSYS;
  return -1;
}

static inline int dup2(int fd, int fd2) {
  (void)fd;
  (void)fd2;
  errno = ENOSYS;
  return -1;
}

static inline int pipe(int fds[2]) {
  (void)fds;
  errno = ENOSYS;
  return -1;
}

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif /* LAMMPS_PORT_WASI_COMPAT_H */
