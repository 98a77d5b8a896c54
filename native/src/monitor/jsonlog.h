/* Docker's json-file log: one {"log":...,"stream":...,"time":...} object a line, with
 * max-size/max-file rotation as Docker's rotating file writer does it. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define JL_PARTIAL_MAX 16384 /* Docker flushes a line without newline at 16 KiB */

struct jl_stream {
  const char *name;
  char partial[JL_PARTIAL_MAX];
  size_t len;
};

struct jsonlog {
  int fd;
  const char *path;
  uint64_t size, max_size; /* max_size 0: unlimited */
  int max_file;
  struct jl_stream streams[2];
};

/* Go's time.RFC3339Nano in UTC: fraction with trailing zeros trimmed. */
size_t jl_format_time(const struct timespec *ts, char *out, size_t len);

int jl_open(struct jsonlog *log, const char *path, uint64_t max_size, int max_file);
/* Appends output of stream 0 (stdout) or 1 (stderr), logging each complete line. */
void jl_write(struct jsonlog *log, int stream, const char *data, size_t len);
/* Logs any partial line left (at exit). */
void jl_flush(struct jsonlog *log);
