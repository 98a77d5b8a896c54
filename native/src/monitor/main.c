/* berth-monitor: the per-container monitor (like conmon). It starts the container init, owns its
 * stdio, writes the json-file log and keeps the exit status on disk. */
#include <stdio.h>
#include <string.h>

#define BERTH_MONITOR_VERSION "0.1.0"

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("berth-monitor %s\n", BERTH_MONITOR_VERSION);
    return 0;
  }
  fprintf(stderr, "usage: berth-monitor --version\n");
  return 2;
}
