/**
 * Runs `tick` `pollMs` after the previous run ended, until stopped: a slow run is never overlapped
 * by the next, and the timer never keeps the process alive. The dispatchers' loops.
 */
export function pollEvery(pollMs: number, tick: () => Promise<unknown>) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().then(schedule), pollMs);
    timer.unref();
  };
  schedule();
  return {
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
