/* faasm: wasi-libc's stdio.h plus declarations it leaves out because WASI
 * cannot provide them. Unmodified programs that merely name these functions
 * (behind a runtime option, say) then compile; calling one fails with
 * ENOSYS, as it would on a system without the feature. libfaasm defines
 * them. */
#include_next <stdio.h>

#ifndef FAASM_COMPAT_STDIO_H
#define FAASM_COMPAT_STDIO_H
#ifdef __cplusplus
extern "C" {
#endif
FILE *popen(const char *, const char *);
int pclose(FILE *);
#ifdef __cplusplus
}
#endif
#endif
