/**
 * Load measurement helpers shared by the benchmarks: autocannon against a URL, with every
 * response time recorded so that any percentile (p95 included, which autocannon's own
 * summary lacks) is exact; and a bare Node `http` server as the reference.
 */
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import autocannon from "autocannon";

export type LoadOptions = {
  connections?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  headers?: Record<string, string>;
  /** One Cookie header per request, taken in turn: each request speaks for another session. */
  cookies?: string[];
};

export type LoadResult = {
  label: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  bytesPerResponse: number;
};

/** Nearest-rank percentile of sorted values (milliseconds). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function run(url: string, connections: number, durationSeconds: number, headers: Record<string, string>, cookies: string[] | undefined, onResponse?: (ms: number, bytes: number) => void) {
  let next = 0;
  const requests = cookies?.length
    ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, Cookie: cookies[next++ % cookies.length]! } }) }]
    : undefined;
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: durationSeconds, headers, requests }, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on("response", (_client, _status, bytes, responseTime) => onResponse(responseTime, bytes));
  });
}

/** A short untimed warm-up (JIT, caches, connection pools), then the measured run. */
export async function measure(label: string, url: string, options: LoadOptions = {}): Promise<LoadResult> {
  const { connections = 20, durationSeconds = 10, warmupSeconds = 2, headers = {}, cookies } = options;
  if (warmupSeconds > 0) await run(url, connections, warmupSeconds, headers, cookies);
  const latencies: number[] = [];
  let bytes = 0;
  const result = await run(url, connections, durationSeconds, headers, cookies, (ms, size) => {
    latencies.push(ms);
    bytes += size;
  });
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    requestsPerSecond: latencies.length / durationSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    errors: result.errors,
    non2xx: result.non2xx,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
  };
}

/** A bare Node `http` server answering every request with `body` (loopback only). */
export async function startStaticServer(body: string | Buffer, contentType = "text/html; charset=utf-8"): Promise<{ url: string; stop: () => Promise<void> }> {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": contentType, "Content-Length": payload.length });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export function printResults(title: string, results: LoadResult[]) {
  console.log(`\n${title}`);
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.label,
        {
          "req/s": Math.round(r.requestsPerSecond),
          p50: ms(r.p50),
          p95: ms(r.p95),
          p99: ms(r.p99),
          max: ms(r.max),
          requests: r.requests,
          "bytes/resp": r.bytesPerResponse,
          errors: r.errors,
          "non-2xx": r.non2xx,
        },
      ]),
    ),
  );
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? "unknown"}), Node ${process.version}, ${os.platform()} ${os.release()}`;
}
