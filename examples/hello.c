/* A plain C program: what a user brings to faasm-cc unchanged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
	const char *who = getenv("WHO");
	printf("hello from C in a Faaslet, %s\n", who ? who : "world");
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	double s = 0;
	for (int k = 0; k < 1000000; k++)
		s += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
	printf("pi ~ %.6f (error %.1e)\n", s, fabs(s - M_PI));
	return 0;
}
