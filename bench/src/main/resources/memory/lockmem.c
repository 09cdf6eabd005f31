#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <signal.h>
/* Holds SIZE_MIB of memory away from the page cache until killed, for the larger-than-memory
   benchmark (bench/.../large/LargeIndexRun): mlock when allowed (root, or RLIMIT_MEMLOCK), else
   touched anonymous pages, which only swap could evict. Prints one line once the memory is held.
   No system setting is changed: killing the process gives the memory back. */
int main(int argc, char **argv) {
  size_t mib = strtoull(argv[1], 0, 10);
  size_t len = mib << 20;
  char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); return 1; }
  int locked = mlock(p, len) == 0;
  if (!locked) { for (size_t i = 0; i < len; i += 4096) p[i] = 1; }
  printf("holding %zu MiB (%s)\n", mib, locked ? "mlock" : "touched, no swap");
  fflush(stdout);
  pause();
  return 0;
}
