/** Small tools for the drivers that run the built bot (the crash test and the soak): waiting and dice. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deterministic choices (mulberry32), so a failing run can be read again. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export interface PollOptions {
  timeoutMs: number;
  /** Pause between two looks. */
  intervalMs: number;
  /** Put before the messages of the errors thrown (`soak: `). */
  errorPrefix?: string;
  /** Checked before each look: true stops the wait with an `aborted` error. */
  aborted?: () => boolean;
}

/** Looks again and again until the probe gives a value (not undefined, null or false), or time is up. */
export async function pollUntil<T>(what: string, probe: Probe<T>, options: PollOptions): Promise<T> {
  const prefix = options.errorPrefix ?? '';
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.aborted?.()) throw new Error(`${prefix}aborted`);
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${prefix}timed out waiting for ${what}`);
    await sleep(options.intervalMs);
  }
}
