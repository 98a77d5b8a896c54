// Parses a generated 10,000-line Dockerfile repeatedly and prints the median time.
// Run after building: node packages/dockerfile-parser/bench/parse-10k.mjs
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dump, parse } from '../dist/index.js';

const LINES = 10_000;
const RUNS = 31;

/** A mix of what real Dockerfiles hold: comments, continuations, JSON, ENV pairs, flags, heredocs. */
export function generate(lines) {
  const blocks = [
    (n) => [`# step ${n}: install things`, `RUN apt-get update && apt-get install -y \\`, '    curl \\', '    git \\', `    pkg-${n} \\`, '    && rm -rf /var/lib/apt/lists/*'],
    (n) => [`ENV VERSION_${n}=1.${n} PATH="/opt/${n}/bin:$PATH" NAME=value\\ ${n}`],
    (n) => [`COPY --from=build --chown=1000:1000 ["src/${n}", "/app/${n}/"]`],
    (n) => [`LABEL org.example.n${n}="value ${n}" other=x`],
    (n) => ['RUN <<EOF', `echo ${n}`, 'echo "$HOME"', 'EOF'],
    (n) => [`CMD ["/bin/app", "--port", "${8000 + (n % 1000)}"]`, ''],
    (n) => [`WORKDIR /srv/${n}`, `EXPOSE ${n % 65535}/tcp`],
  ];
  const out = ['# syntax=docker/dockerfile:1', 'FROM alpine:3.20 AS build'];
  for (let n = 0; out.length < lines; n++) out.push(...blocks[n % blocks.length](n));
  return out.slice(0, lines).join('\n') + '\n';
}

/** Times `runs` parses of a generated `lines`-line Dockerfile; returns the times in ms. */
export function measure({ lines = LINES, runs = RUNS } = {}) {
  const text = generate(lines);
  const ast = parse(text);
  dump(ast); // warm up
  for (let i = 0; i < 5; i++) parse(text);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    parse(text);
    times.push(performance.now() - start);
  }
  return { times, instructions: ast.instructions.length, bytes: text.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { times, instructions, bytes } = measure();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `parse: ${LINES} lines, ${instructions} instructions, ${(bytes / 1024).toFixed(0)} KiB; ` +
      `median ${median.toFixed(2)} ms over ${RUNS} runs (min ${times[0].toFixed(2)}, max ${times[times.length - 1].toFixed(2)})`,
  );
}
