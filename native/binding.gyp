{
  "targets": [
    {
      "target_name": "berth",
      "sources": ["<!@(ls -1 src/addon/*.cc)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "cflags_cc": ["-Wall", "-Wextra", "-O2", "-std=c++17"]
    },
    {
      "target_name": "berth-monitor",
      "type": "executable",
      "sources": ["src/monitor/main.c", "src/monitor/jsonlog.c", "src/container/config.c", "src/container/init.c", "src/container/process.c", "src/container/rootpath.c"],
      "cflags": ["-Wall", "-Wextra", "-O2", "-std=gnu11"]
    }
  ]
}
