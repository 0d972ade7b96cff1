/* nested parallelism: with max-active-levels 3, inner teams are real; every
 * thread at every level records level, active level, thread num, team size
 * and all ancestors; with max-active-levels 1 the inner regions serialize. */
#include "omptest.h"

typedef struct {
  int used, level, alevel, tnum, tsize, in_par, maxt;
  int anc[4], tsz[4];
  int anc_bad, tsz_bad;
} rec_t;

#define O 3
#define I 2
#define K 2

static rec_t recs[O][I][K];

static void record(rec_t *r) {
  int lvl = omp_get_level();
  r->used = 1;
  r->level = lvl;
  r->alevel = omp_get_active_level();
  r->tnum = omp_get_thread_num();
  r->tsize = omp_get_num_threads();
  r->in_par = omp_in_parallel();
  r->maxt = omp_get_max_threads();
  for (int l = 0; l <= lvl && l < 4; l++) {
    r->anc[l] = omp_get_ancestor_thread_num(l);
    r->tsz[l] = omp_get_team_size(l);
  }
  r->anc_bad = omp_get_ancestor_thread_num(lvl + 1) != -1 ||
               omp_get_ancestor_thread_num(-1) != -1;
  r->tsz_bad = omp_get_team_size(lvl + 1) != -1 || omp_get_team_size(-1) != -1;
}

static void print_recs(const char *what) {
  printf("== %s\n", what);
  for (int a = 0; a < O; a++)
    for (int b = 0; b < I; b++)
      for (int c = 0; c < K; c++) {
        rec_t *r = &recs[a][b][c];
        if (!r->used)
          continue;
        printf("[%d,%d,%d] level %d active %d tnum %d tsize %d in_par %d max %d anc",
               a, b, c, r->level, r->alevel, r->tnum, r->tsize, r->in_par, r->maxt);
        for (int l = 0; l <= r->level; l++)
          printf(" %d/%d", r->anc[l], r->tsz[l]);
        printf("\n");
        CHECK(!r->anc_bad && !r->tsz_bad);
      }
}

static void three_levels(void) {
  memset(recs, 0, sizeof recs);
#pragma omp parallel num_threads(O)
  {
    int a = omp_get_thread_num();
#pragma omp parallel num_threads(I)
    {
      int b = omp_get_thread_num();
#pragma omp parallel num_threads(K)
      {
        int c = omp_get_thread_num();
        record(&recs[a][b][c]);
      }
    }
  }
}

int main(void) {
  printf("initial max_active_levels %d level %d active %d anc0 %d size0 %d\n",
         omp_get_max_active_levels(), omp_get_level(), omp_get_active_level(),
         omp_get_ancestor_thread_num(0), omp_get_team_size(0));

  omp_set_max_active_levels(3);
  CHECK(omp_get_max_active_levels() == 3);
  three_levels();
  print_recs("max_active_levels 3");
  for (int a = 0; a < O; a++)
    for (int b = 0; b < I; b++)
      for (int c = 0; c < K; c++) {
        rec_t *r = &recs[a][b][c];
        CHECK(r->used && r->level == 3 && r->alevel == 3);
        CHECK(r->anc[1] == a && r->anc[2] == b && r->anc[3] == c);
        CHECK(r->tsz[1] == O && r->tsz[2] == I && r->tsz[3] == K);
      }

  omp_set_max_active_levels(2);
  three_levels();
  print_recs("max_active_levels 2");

  omp_set_max_active_levels(1);
  three_levels();
  print_recs("max_active_levels 1");
  for (int a = 0; a < O; a++) {
    rec_t *r = &recs[a][0][0];
    CHECK(r->used && r->level == 3 && r->alevel == 1 && r->tsize == 1);
    CHECK(!recs[a][1][0].used && !recs[a][0][1].used);
  }

  /* inner teams share the work of inner loops and reduce correctly */
  omp_set_max_active_levels(2);
  long total = 0;
#pragma omp parallel num_threads(3) reduction(+ : total)
  {
    long inner = 0;
#pragma omp parallel for num_threads(3) reduction(+ : inner) schedule(dynamic, 5)
    for (int i = 0; i < 300; i++)
      inner += i;
    total += inner;
  }
  printf("nested reductions %ld\n", total);
  CHECK(total == 3 * 44850);

  /* nested barriers and criticals within inner teams */
  int crit = 0;
  int inner_bar_ok = 1;
#pragma omp parallel num_threads(2) reduction(&& : inner_bar_ok)
  {
    int cells[4] = {0};
#pragma omp parallel num_threads(4) shared(cells)
    {
      cells[omp_get_thread_num()] = 1;
#pragma omp barrier
      int s = cells[0] + cells[1] + cells[2] + cells[3];
      if (s != 4)
        inner_bar_ok = 0; /* benign race on a private-to-outer flag */
#pragma omp critical
      crit++;
    }
  }
  CHECK(crit == 8 && inner_bar_ok);

  /* omp_get_max_threads inside nested regions and nested single */
  omp_set_max_active_levels(1);
  int in_inner = -1;
#pragma omp parallel num_threads(2)
#pragma omp parallel num_threads(2)
#pragma omp single
  in_inner = omp_get_num_threads();
  CHECK(in_inner == 1);
  printf("ok\n");
  return 0;
}
