/* the omp_* API outside and inside regions: num/max threads, thread num,
 * num procs, in_parallel, dynamic, nested, max active levels, schedule,
 * thread limit, wtime/wtick, proc bind, places, devices. Values that
 * depend on the machine are printed only as sanity checks. */
#include "omptest.h"

int main(void) {
  printf("serial: num_threads %d thread_num %d max_threads %d in_parallel %d\n",
         omp_get_num_threads(), omp_get_thread_num(), omp_get_max_threads(),
         omp_in_parallel());
  printf("num_procs > 0: %d\n", omp_get_num_procs() > 0);
  printf("dynamic %d nested %d max_active_levels %d level %d active %d\n",
         omp_get_dynamic(), omp_get_nested(), omp_get_max_active_levels(),
         omp_get_level(), omp_get_active_level());
  printf("thread_limit >= max_threads: %d\n",
         omp_get_thread_limit() >= omp_get_max_threads());
  omp_sched_t k;
  int ch;
  omp_get_schedule(&k, &ch);
  printf("schedule kind %d chunk %d\n", (int)k, ch);

  /* wtime/wtick */
  double t0 = omp_get_wtime();
  volatile double x = 0;
  for (int i = 0; i < 1000000; i++)
    x += i;
  double t1 = omp_get_wtime();
  double tick = omp_get_wtick();
  printf("wtime monotonic: %d, wtick in (0, 1e-3]: %d\n", t1 >= t0,
         tick > 0 && tick <= 1e-3);
  double w0 = omp_get_wtime();
  double w1;
  do
    w1 = omp_get_wtime();
  while (w1 == w0);
  printf("wtime resolution below 1ms: %d\n", w1 - w0 < 1e-3);
  double s0 = omp_get_wtime();
  while (omp_get_wtime() - s0 < 0.02)
    ;
  printf("wtime advances about 20ms: %d\n", omp_get_wtime() - s0 < 2.0);

  /* proc bind and places: sane answers */
  omp_proc_bind_t pb = omp_get_proc_bind();
  printf("proc_bind valid: %d\n", pb >= omp_proc_bind_false && pb <= omp_proc_bind_spread);
  printf("num_places >= 0: %d\n", omp_get_num_places() >= 0);
  printf("place_num >= -1: %d\n", omp_get_place_num() >= -1);

  /* devices: host only */
  printf("num_devices %d initial_device %d default_device valid %d\n",
         omp_get_num_devices(), omp_is_initial_device(),
         omp_get_default_device() >= 0);
  printf("initial device == num devices: %d\n",
         omp_get_initial_device() == omp_get_num_devices() ||
             omp_get_initial_device() == -1);

  /* setters round trip */
  omp_set_dynamic(1);
  int d1 = omp_get_dynamic();
  omp_set_dynamic(0);
  printf("set_dynamic 1 -> %d, 0 -> %d\n", d1 != 0, omp_get_dynamic());
  omp_set_max_active_levels(4);
  printf("set_max_active_levels 4 -> %d\n", omp_get_max_active_levels());
  omp_set_max_active_levels(1);
  omp_set_num_threads(3);
  printf("set_num_threads 3 -> max_threads %d\n", omp_get_max_threads());

  /* inside a region */
  int nt = 0, inpar = 0, lvl = 0, alvl = 0, tn_ok = 1, maxin = 0;
  double wt[MAXT];
#pragma omp parallel num_threads(3) reduction(&& : tn_ok)
  {
    int me = omp_get_thread_num();
    tn_ok = me >= 0 && me < 3 && omp_get_num_threads() == 3;
    wt[me] = omp_get_wtime();
#pragma omp master
    {
      nt = omp_get_num_threads();
      inpar = omp_in_parallel();
      lvl = omp_get_level();
      alvl = omp_get_active_level();
      maxin = omp_get_max_threads();
    }
  }
  printf("in region: num_threads %d in_parallel %d level %d active %d max %d ids ok %d\n",
         nt, inpar, lvl, alvl, maxin, tn_ok);
  /* all threads share one clock: readings within 10 s of each other */
  int clock_ok = 1;
  for (int i = 1; i < nt; i++)
    clock_ok &= wt[i] - wt[0] < 10 && wt[0] - wt[i] < 10;
  printf("shared clock %d\n", clock_ok);
  CHECK(nt == 3 && inpar == 1 && lvl == 1 && alvl == 1 && tn_ok && clock_ok);

  /* a parallel region of one thread is not "in parallel" */
  int inpar1 = -1, lvl1 = -1;
#pragma omp parallel num_threads(1)
  {
    inpar1 = omp_in_parallel();
    lvl1 = omp_get_level();
  }
  printf("team of one: in_parallel %d level %d\n", inpar1, lvl1);

  /* omp_get_num_threads in a worksharing loop, omp_get_thread_num after */
  printf("after regions: thread_num %d num_threads %d\n", omp_get_thread_num(),
         omp_get_num_threads());
  printf("ok\n");
  return 0;
}
