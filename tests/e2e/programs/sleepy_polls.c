// Each iteration of the main loop sleeps 2 ms in a WASI call, so poll points come a few hundred
// times a second: the trigger test stops it only in time if the run-time code spaces its looks
// at the trigger file by time rather than by a count of polls.
#include <stdio.h>
#include <time.h>

int main(void) {
  unsigned long long sum = 0;
  for (int i = 0; i < 1500; i++) {
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, 0);
    sum = sum * 31 + (unsigned)i;
    if (i % 500 == 0) {
      printf("step %d sum %llu\n", i, sum);
      fflush(stdout);
    }
  }
  printf("done %llu\n", sum);
  return 0;
}
