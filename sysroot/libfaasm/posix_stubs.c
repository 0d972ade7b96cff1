// POSIX functions WASI cannot provide, declared by include/faasm-compat.
// They fail the way a system without the feature would, so code that only
// uses them on some paths (a gzip pipe, a pager) builds and runs.
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

FILE *popen(const char *command, const char *mode) {
	(void)command;
	(void)mode;
	errno = ENOSYS;
	return NULL;
}

int pclose(FILE *stream) {
	(void)stream;
	errno = ENOSYS;
	return -1;
}

int pipe(int fds[2]) {
	(void)fds;
	errno = ENOSYS;
	return -1;
}

int dup(int fd) {
	(void)fd;
	errno = ENOSYS;
	return -1;
}

int dup2(int fd, int fd2) {
	(void)fd;
	(void)fd2;
	errno = ENOSYS;
	return -1;
}

// wasi-libc declares these (tmpfile and tmpnam as deprecated) but defines
// none: code that names them compiled and then failed to link. There is no
// shell and no temporary directory: system(NULL) says so, other calls fail.
#include <stdlib.h>

int system(const char *command) {
	if (command == NULL)
		return 0; /* no command processor */
	errno = ENOSYS;
	return -1;
}

FILE *tmpfile(void) {
	errno = ENOSYS;
	return NULL;
}

char *tmpnam(char *s) {
	(void)s;
	errno = ENOSYS;
	return NULL;
}
