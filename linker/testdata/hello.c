// A real guest: wasi-libc's stdio (WASI imports) plus the faasm header.
// Rebuild (recipe also in linker/testdata/README):
//   clang-19 --target=wasm32-wasi --sysroot=/usr -I../../sysroot/include -Os -s -o hello.wasm hello.c
#include <stdio.h>
#include <faasm/host_faasm.h>

int main(void) {
    uint8_t buf[64];
    int32_t n = __faasm_read_call_input(buf, sizeof buf);
    if (n < 0)
        __faasm_fatal("bad input", 9, 2);
    __faasm_write_call_output(buf, (uint32_t)(n < 64 ? n : 64));
    printf("hello %d\n", n);
    return 0;
}
