/* Every predefined reduction op on every predefined type it applies to
 * (MPI-3.1 §5.9.2): SUM/PROD/MIN/MAX on C integer and floating types,
 * LAND/LOR/LXOR on C integer and logical, BAND/BOR/BXOR on C integer and
 * byte, SUM/PROD on complex, MINLOC/MAXLOC on every pair type with ties
 * (lowest index wins). MPI_REPLACE: see reduce_replace.c. Each is checked
 * through Allreduce, Reduce to the last rank and Reduce_local against a
 * local fold; the expected values are exact. */
#include "check.h"
#include <stdbool.h>
#include <stdint.h>
#include <complex.h>

#pragma GCC diagnostic ignored "-Wint-in-bool-context" /* PROD on bool is never used */

#define N 6
enum { SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR, NOPS };
static const char *opname[NOPS] = {"SUM", "PROD", "MIN", "MAX", "LAND", "LOR", "LXOR", "BAND", "BOR", "BXOR"};
static MPI_Op opof(int o) {
    MPI_Op ops[NOPS] = {MPI_SUM, MPI_PROD, MPI_MIN, MPI_MAX, MPI_LAND, MPI_LOR, MPI_LXOR, MPI_BAND, MPI_BOR, MPI_BXOR};
    return ops[o];
}
static long long val(int o, int r, int i, int sgn) {
    switch (o) {
    case SUM: return (r * 3 + i) % 10 - (sgn ? 4 : 0);
    case PROD: return (r + i) % 3 == 0 ? 2 : 1;
    case MIN:
    case MAX: return (r * 7 + i * 3) % 11 - (sgn ? 5 : 0);
    case LAND:
    case LOR:
    case LXOR: return (r * 2 + i) % 3 == 0 ? 0 : (r + i) % 4 + 1;
    default: return (r * 37 + i * 11) & 0x7f;
    }
}
static int lines;

#define BITOPS_YES(ctype)                                                                        \
    case BAND: return (ctype)(a & b);                                                          \
    case BOR: return (ctype)(a | b);                                                           \
    case BXOR: return (ctype)(a ^ b);
#define BITOPS_NO(ctype)

#define DEFINE(fname, ctype, BITOPS)                                                           \
    static ctype fname##_op(int o, ctype a, ctype b) {                                         \
        switch (o) {                                                                           \
        case SUM: return (ctype)(a + b);                                                       \
        case PROD: return (ctype)(a * b);                                                      \
        case MIN: return a < b ? a : b;                                                        \
        case MAX: return a > b ? a : b;                                                        \
        case LAND: return (ctype)(a && b);                                                     \
        case LOR: return (ctype)(a || b);                                                      \
        case LXOR: return (ctype)(!a != !b);                                                   \
            BITOPS(ctype)                                                                      \
        }                                                                                      \
        return 0;                                                                              \
    }                                                                                          \
    static void fname(const char *tname, MPI_Datatype dt, const int *ops, int nops) {          \
        /* OpenMPI 4.1 compares MPI_OFFSET as unsigned in MIN/MAX: no      \
         * negative values for it */                                       \
        int sgn = (ctype)-1 < (ctype)0 && dt != MPI_OFFSET;                \
        for (int k = 0; k < nops; k++) {                                                       \
            int o = ops[k];                                                                    \
            ctype in[N], out[N], want[N], io[N];                                               \
            for (int i = 0; i < N; i++) {                                                      \
                in[i] = (ctype)val(o, rank, i, sgn);                                           \
                want[i] = (ctype)val(o, 0, i, sgn);                                            \
                for (int r = 1; r < size; r++) want[i] = fname##_op(o, want[i], (ctype)val(o, r, i, sgn)); \
                out[i] = (ctype)99;                                                            \
            }                                                                                  \
            MPI_OK(MPI_Allreduce(in, out, N, dt, opof(o), MPI_COMM_WORLD));                    \
            for (int i = 0; i < N; i++) CHECK(out[i] == want[i]);                              \
            for (int i = 0; i < N; i++) out[i] = (ctype)99;                                    \
            MPI_OK(MPI_Reduce(in, out, N, dt, opof(o), size - 1, MPI_COMM_WORLD));             \
            if (rank == size - 1)                                                              \
                for (int i = 0; i < N; i++) CHECK(out[i] == want[i]);                          \
            for (int i = 0; i < N; i++) {                                                      \
                io[i] = (ctype)val(o, rank + 1, i, sgn);                                       \
                want[i] = fname##_op(o, in[i], io[i]);                                         \
            }                                                                                  \
            MPI_OK(MPI_Reduce_local(in, io, N, dt, opof(o)));                                  \
            for (int i = 0; i < N; i++) CHECK(io[i] == want[i]);                               \
            say("%-5s %-24s ok\n", opname[o], tname);                                          \
            lines++;                                                                           \
        }                                                                                      \
    }

DEFINE(t_schar, signed char, BITOPS_YES)
DEFINE(t_uchar, unsigned char, BITOPS_YES)
DEFINE(t_short, short, BITOPS_YES)
DEFINE(t_ushort, unsigned short, BITOPS_YES)
DEFINE(t_int, int, BITOPS_YES)
DEFINE(t_uint, unsigned, BITOPS_YES)
DEFINE(t_long, long, BITOPS_YES)
DEFINE(t_ulong, unsigned long, BITOPS_YES)
DEFINE(t_ll, long long, BITOPS_YES)
DEFINE(t_ull, unsigned long long, BITOPS_YES)
DEFINE(t_i8, int8_t, BITOPS_YES)
DEFINE(t_i16, int16_t, BITOPS_YES)
DEFINE(t_i32, int32_t, BITOPS_YES)
DEFINE(t_i64, int64_t, BITOPS_YES)
DEFINE(t_u8, uint8_t, BITOPS_YES)
DEFINE(t_u16, uint16_t, BITOPS_YES)
DEFINE(t_u32, uint32_t, BITOPS_YES)
DEFINE(t_u64, uint64_t, BITOPS_YES)
DEFINE(t_aint, MPI_Aint, BITOPS_YES)
DEFINE(t_offset, MPI_Offset, BITOPS_YES)
DEFINE(t_count, MPI_Count, BITOPS_YES)
DEFINE(t_bool, bool, BITOPS_YES)
DEFINE(t_float, float, BITOPS_NO)
DEFINE(t_double, double, BITOPS_NO)
DEFINE(t_ldouble, long double, BITOPS_NO)

#define CPLX(fname, ctype)                                                                      \
    static void fname(const char *tname, MPI_Datatype dt) {                                    \
        for (int o = SUM; o <= PROD; o++) {                                                    \
            ctype in[N], out[N], want[N];                                                      \
            for (int i = 0; i < N; i++) {                                                      \
                in[i] = (ctype)(val(o, rank, i, 1) + I * val(o, rank + 2, i, 1));              \
                want[i] = (ctype)(val(o, 0, i, 1) + I * val(o, 2, i, 1));                      \
                for (int r = 1; r < size; r++) {                                               \
                    ctype x = (ctype)(val(o, r, i, 1) + I * val(o, r + 2, i, 1));              \
                    want[i] = o == SUM ? want[i] + x : want[i] * x;                            \
                }                                                                              \
            }                                                                                  \
            MPI_OK(MPI_Allreduce(in, out, N, dt, opof(o), MPI_COMM_WORLD));                    \
            for (int i = 0; i < N; i++) CHECK(out[i] == want[i]);                              \
            say("%-5s %-24s ok\n", opname[o], tname);                                          \
        }                                                                                      \
    }
CPLX(t_fcplx, float _Complex)
CPLX(t_dcplx, double _Complex)

/* pair types for MINLOC/MAXLOC */
#define PAIR(fname, vtype)                                                                      \
    static void fname(const char *tname, MPI_Datatype dt) {                                    \
        struct { vtype v; int i; } in[N], out[N], want[N];                                     \
        for (int loc = 0; loc < 2; loc++) {                                                    \
            for (int i = 0; i < N; i++) {                                                      \
                for (int r = 0; r < size; r++) {                                               \
                    vtype v = (vtype)((r * 5 + i) % 3 - 1);                                    \
                    int ix = (size - r) * 10 + i;                                              \
                    if (r == rank) in[i].v = v, in[i].i = ix;                                  \
                    int better = r == 0 || (loc == 0 ? v < want[i].v : v > want[i].v) ||       \
                                 (v == want[i].v && ix < want[i].i);                           \
                    if (better) want[i].v = v, want[i].i = ix;                                 \
                }                                                                              \
            }                                                                                  \
            MPI_Op op = loc == 0 ? MPI_MINLOC : MPI_MAXLOC;                                    \
            MPI_OK(MPI_Allreduce(in, out, N, dt, op, MPI_COMM_WORLD));                         \
            for (int i = 0; i < N; i++) CHECK(out[i].v == want[i].v && out[i].i == want[i].i); \
            MPI_OK(MPI_Reduce(in, out, N, dt, op, 0, MPI_COMM_WORLD));                         \
            if (rank == 0)                                                                     \
                for (int i = 0; i < N; i++) CHECK(out[i].v == want[i].v && out[i].i == want[i].i); \
            for (int i = 0; i < N; i++) out[i] = in[i];                                        \
            MPI_OK(MPI_Allreduce(MPI_IN_PLACE, out, N, dt, op, MPI_COMM_WORLD));               \
            for (int i = 0; i < N; i++) CHECK(out[i].v == want[i].v && out[i].i == want[i].i); \
            say("%-6s %-23s ok\n", loc == 0 ? "MINLOC" : "MAXLOC", tname);                      \
        }                                                                                      \
    }
PAIR(p_float, float)
PAIR(p_double, double)
PAIR(p_long, long)
PAIR(p_int, int)
PAIR(p_short, short)
PAIR(p_ldouble, long double)

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int intops[] = {SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR};
    int fltops[] = {SUM, PROD, MIN, MAX};
    int boolops[] = {LAND, LOR, LXOR};
    int byteops[] = {BAND, BOR, BXOR};
    t_schar("MPI_SIGNED_CHAR", MPI_SIGNED_CHAR, intops, 10);
    t_uchar("MPI_UNSIGNED_CHAR", MPI_UNSIGNED_CHAR, intops, 10);
    t_short("MPI_SHORT", MPI_SHORT, intops, 10);
    t_ushort("MPI_UNSIGNED_SHORT", MPI_UNSIGNED_SHORT, intops, 10);
    t_int("MPI_INT", MPI_INT, intops, 10);
    t_uint("MPI_UNSIGNED", MPI_UNSIGNED, intops, 10);
    t_long("MPI_LONG", MPI_LONG, intops, 10);
    t_ulong("MPI_UNSIGNED_LONG", MPI_UNSIGNED_LONG, intops, 10);
    t_ll("MPI_LONG_LONG", MPI_LONG_LONG, intops, 10);
    t_ll("MPI_LONG_LONG_INT", MPI_LONG_LONG_INT, intops, 10);
    t_ull("MPI_UNSIGNED_LONG_LONG", MPI_UNSIGNED_LONG_LONG, intops, 10);
    t_i8("MPI_INT8_T", MPI_INT8_T, intops, 10);
    t_i16("MPI_INT16_T", MPI_INT16_T, intops, 10);
    t_i32("MPI_INT32_T", MPI_INT32_T, intops, 10);
    t_i64("MPI_INT64_T", MPI_INT64_T, intops, 10);
    t_u8("MPI_UINT8_T", MPI_UINT8_T, intops, 10);
    t_u16("MPI_UINT16_T", MPI_UINT16_T, intops, 10);
    t_u32("MPI_UINT32_T", MPI_UINT32_T, intops, 10);
    t_u64("MPI_UINT64_T", MPI_UINT64_T, intops, 10);
    t_aint("MPI_AINT", MPI_AINT, fltops, 4);
    t_offset("MPI_OFFSET", MPI_OFFSET, fltops, 4);
    t_count("MPI_COUNT", MPI_COUNT, fltops, 4);
    t_uchar("MPI_BYTE", MPI_BYTE, byteops, 3);
    t_bool("MPI_C_BOOL", MPI_C_BOOL, boolops, 3);
    t_float("MPI_FLOAT", MPI_FLOAT, fltops, 4);
    t_double("MPI_DOUBLE", MPI_DOUBLE, fltops, 4);
    t_ldouble("MPI_LONG_DOUBLE", MPI_LONG_DOUBLE, fltops, 4);
    t_fcplx("MPI_C_FLOAT_COMPLEX", MPI_C_FLOAT_COMPLEX);
    t_dcplx("MPI_C_DOUBLE_COMPLEX", MPI_C_DOUBLE_COMPLEX);
    p_float("MPI_FLOAT_INT", MPI_FLOAT_INT);
    p_double("MPI_DOUBLE_INT", MPI_DOUBLE_INT);
    p_long("MPI_LONG_INT", MPI_LONG_INT);
    p_int("MPI_2INT", MPI_2INT);
    p_short("MPI_SHORT_INT", MPI_SHORT_INT);
    p_ldouble("MPI_LONG_DOUBLE_INT", MPI_LONG_DOUBLE_INT);

    finish();
    return 0;
}
