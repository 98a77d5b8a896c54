/* The monitor socket's frames, both ways: 1 byte type, 4 bytes big-endian payload length, payload.
 * After EXIT the monitor half-closes each connection and waits for the client to hang up.
 * Mirrored by packages/libcontainer/src/monitor/protocol.ts. */
#pragma once

#define BM_HEADER 5
#define BM_MAX_PAYLOAD 65536

enum {
  /* client -> monitor */
  BM_STDIN = 0,        /* bytes for the container's stdin */
  BM_STDIN_CLOSE = 10, /* close the container's stdin */
  BM_RESIZE = 11,      /* u16 rows, u16 cols */
  BM_SIGNAL = 12,      /* u32 signal number, sent to the container's init */
  BM_SUBSCRIBE = 13,   /* u8 mask: 1 stdout, 2 stderr */
  BM_START = 14,       /* let the init exec the command */
  /* monitor -> client */
  BM_STDOUT = 1,
  BM_STDERR = 2,
  BM_EXIT = 3,         /* the exit.json text */
  BM_START_RESULT = 4, /* "" when started, else "EXIT\tERRNO\tSTEP" */
  BM_OOM = 5,          /* the kernel OOM-killed a process of the container (sent to every client) */
};
