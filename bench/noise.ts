import os from "node:os";
import { median } from "./load";

/*
 * Verdicts that survive a busy machine (issue 23 item 3). A ratio comes from several alternating
 * rounds and is reported as their median with the spread; the run gives no verdict, rather than
 * OK or MISS, when other work kept the machine busy for most of it, or when the rounds themselves
 * fall on both sides of the target.
 */

export interface LoadSummary {
  samples: number;
  median: number;
  max: number;
  cores: number;
  /** Most of the run with more runnable work than the bench itself brings: figures, but no verdicts. */
  busy: boolean;
}

/**
 * The bench keeps about one load unit per core busy on its own (a server, its load generator and
 * the database share the cores): above cores + 1 there is other work in the same minute.
 */
export function isBusy(loads: number[], cores: number): boolean {
  return loads.filter((load) => load > cores + 1).length * 2 > loads.length;
}

/** Samples the 1-minute load average every few seconds until stopped. */
export function startLoadSampler(intervalMs = 5_000): { stop(): LoadSummary } {
  const loads = [os.loadavg()[0]];
  const timer = setInterval(() => loads.push(os.loadavg()[0]), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      loads.push(os.loadavg()[0]);
      const cores = os.cpus().length;
      return { samples: loads.length, median: median(loads), max: Math.max(...loads), cores, busy: isBusy(loads, cores) };
    },
  };
}

export interface RoundRatio {
  /** Median of the rounds' ratios. */
  ratio: number;
  min: number;
  max: number;
  /** The middle half of the rounds (the second and second-to-last of five): one stray round does not move it. */
  lowerQuartile: number;
  upperQuartile: number;
  rounds: number;
}

/** Round i's `numerator[i] / denominator[i]`, round for round (each pair ran back to back). */
export function roundRatios(numerators: number[], denominators: number[]): RoundRatio {
  const ratios = numerators.map((n, i) => n / denominators[i]).sort((a, b) => a - b);
  const quartile = ratios.length >= 4 ? Math.floor(ratios.length / 4) : 0;
  return {
    ratio: median(ratios),
    min: ratios[0],
    max: ratios[ratios.length - 1],
    lowerQuartile: ratios[quartile],
    upperQuartile: ratios[ratios.length - 1 - quartile],
    rounds: ratios.length,
  };
}

export type Verdict = "OK" | "MISS" | "NO VERDICT";

/**
 * OK or MISS by the median, unless the machine was busy, or the middle half of the rounds falls on
 * both sides of the target.
 */
export function verdict(passes: (ratio: number) => boolean, figure: RoundRatio | number, load: LoadSummary | null): Verdict {
  if (load?.busy) return "NO VERDICT";
  if (typeof figure === "number") return passes(figure) ? "OK" : "MISS";
  if (passes(figure.lowerQuartile) !== passes(figure.upperQuartile)) return "NO VERDICT";
  return passes(figure.ratio) ? "OK" : "MISS";
}
