/* faasm: wasi-libc's unistd.h plus declarations it leaves out because WASI
 * has no pipes or descriptor duplication. Calling them fails with ENOSYS;
 * libfaasm defines them. */
#include_next <unistd.h>

#ifndef FAASM_COMPAT_UNISTD_H
#define FAASM_COMPAT_UNISTD_H
#ifdef __cplusplus
extern "C" {
#endif
int pipe(int[2]);
int dup(int);
int dup2(int, int);
#ifdef __cplusplus
}
#endif
#endif
