import autocannon from "autocannon";

export interface LoadResult {
  /** Completed requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU seconds the server process used during the run (set by the page phase). */
  cpuSeconds?: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}

/** One autocannon run against a loopback URL (the benchmark never loads anything else). */
export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const { hostname } = new URL(url);
  if (hostname !== "127.0.0.1" && hostname !== "localhost" && hostname !== "[::1]") throw new Error(`Refusing to load a non-loopback address: ${url}`);
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds, headers: options.headers, timeout: 30 });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
