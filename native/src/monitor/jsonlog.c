#define _GNU_SOURCE
#include "jsonlog.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t jl_format_time(const struct timespec *ts, char *out, size_t len) {
  struct tm tm;
  gmtime_r(&ts->tv_sec, &tm);
  size_t n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
  if (ts->tv_nsec) {
    char frac[16];
    snprintf(frac, sizeof frac, ".%09ld", ts->tv_nsec);
    size_t f = strlen(frac);
    while (f > 1 && frac[f - 1] == '0') frac[--f] = 0;
    n += (size_t)snprintf(out + n, len - n, "%s", frac);
  }
  n += (size_t)snprintf(out + n, len - n, "Z");
  return n;
}

int jl_open(struct jsonlog *log, const char *path, uint64_t max_size, int max_file) {
  memset(log, 0, sizeof *log);
  log->path = path;
  log->max_size = max_size;
  log->max_file = max_file < 1 ? 1 : max_file;
  log->streams[0].name = "stdout";
  log->streams[1].name = "stderr";
  log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (log->fd < 0) return -1;
  struct stat st;
  if (fstat(log->fd, &st) == 0) log->size = (uint64_t)st.st_size;
  return 0;
}

static void rotate(struct jsonlog *log) {
  char from[4200], to[4200];
  if (log->max_file < 2) {
    if (ftruncate(log->fd, 0) == 0) log->size = 0;
    return;
  }
  for (int i = log->max_file - 1; i > 1; i--) {
    snprintf(from, sizeof from, "%s.%d", log->path, i - 1);
    snprintf(to, sizeof to, "%s.%d", log->path, i);
    rename(from, to);
  }
  snprintf(to, sizeof to, "%s.1", log->path);
  rename(log->path, to);
  close(log->fd);
  log->fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  log->size = 0;
}

/* Length of a valid UTF-8 sequence at s, or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
  size_t n;
  unsigned min;
  unsigned cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
  else return 0;
  if (avail < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

/* JSON string escaping as Go's encoding/json does it (HTML-safe, invalid UTF-8 as U+FFFD). */
static size_t escape(const char *in, size_t len, char *out) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)in;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t n = utf8_len(s + i, len - i);
      if (n == 0) { memcpy(out + o, "\\ufffd", 6); o += 6; i++; continue; }
      if (n == 3 && c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
        memcpy(out + o, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
        o += 6;
      } else {
        memcpy(out + o, s + i, n);
        o += n;
      }
      i += n;
      continue;
    }
    if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
    else if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
    else if (c == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
    else if (c == '\t') { out[o++] = '\\'; out[o++] = 't'; }
    else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      memcpy(out + o, "\\u00", 4);
      out[o + 4] = hex[c >> 4];
      out[o + 5] = hex[c & 15];
      o += 6;
    } else out[o++] = (char)c;
    i++;
  }
  return o;
}

static void emit(struct jsonlog *log, int stream, const char *line, size_t len) {
  static char buf[JL_PARTIAL_MAX * 6 + 256];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  size_t o = 0;
  memcpy(buf, "{\"log\":\"", 8);
  o = 8;
  o += escape(line, len, buf + o);
  o += (size_t)snprintf(buf + o, sizeof buf - o, "\",\"stream\":\"%s\",\"time\":\"", log->streams[stream].name);
  o += jl_format_time(&ts, buf + o, sizeof buf - o);
  memcpy(buf + o, "\"}\n", 3);
  o += 3;
  if (log->max_size && log->size >= log->max_size) rotate(log);
  if (log->fd < 0) return;
  size_t off = 0;
  while (off < o) {
    ssize_t n = write(log->fd, buf + off, o - off);
    if (n <= 0) return;
    off += (size_t)n;
  }
  log->size += o;
}

void jl_write(struct jsonlog *log, int stream, const char *data, size_t len) {
  struct jl_stream *s = &log->streams[stream];
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t)(nl - data) + 1 : len;
    if (s->len + take > JL_PARTIAL_MAX) take = JL_PARTIAL_MAX - s->len;
    memcpy(s->partial + s->len, data, take);
    s->len += take;
    data += take;
    len -= take;
    if (s->partial[s->len - 1] == '\n' || s->len == JL_PARTIAL_MAX) {
      emit(log, stream, s->partial, s->len);
      s->len = 0;
    }
  }
}

void jl_flush(struct jsonlog *log) {
  for (int i = 0; i < 2; i++) {
    if (log->streams[i].len) emit(log, i, log->streams[i].partial, log->streams[i].len);
    log->streams[i].len = 0;
  }
}
