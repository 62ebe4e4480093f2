/**
 * Keeps `npm run bench` from hanging: run.ts gives each benchmark a time budget; what the
 * benchmark is waiting on is named as it goes (the helpers in this folder do it for their steps),
 * and what it started registers a teardown. Past the budget, run.ts prints the step, runs the
 * teardowns (server processes killed, databases stopped) and fails.
 */
let step: string | (() => string) = 'starting';
const teardowns = new Set<() => Promise<unknown>>();

/** Names what the benchmark waits on from now on; a function is read when the budget runs out (for live counts). */
export function waitingOn(what: string | (() => string)): void {
  step = what;
}

export const currentStep = (): string => (typeof step === 'string' ? step : step());

/** Registers what to stop if the benchmark never finishes; returns its removal, for the normal way out. */
export function onTimeout(teardown: () => Promise<unknown>): () => void {
  teardowns.add(teardown);
  return () => teardowns.delete(teardown);
}

export class BenchmarkTimeout extends Error {
  constructor(benchmark: string, seconds: number, step: string) {
    super(`${benchmark}: no result within its budget of ${seconds} s; it was waiting on: ${step}`);
    this.name = 'BenchmarkTimeout';
  }
}

/** The benchmark's result, or a BenchmarkTimeout naming its step once `seconds` have passed. */
export async function withinBudget<T>(work: Promise<T>, seconds: number, benchmark: string): Promise<T> {
  waitingOn('starting');
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchmarkTimeout(benchmark, seconds, currentStep())), seconds * 1000);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every registered teardown, each given at most `limitMs`. */
export async function tearDownAll(limitMs = 15_000): Promise<void> {
  const pending = [...teardowns];
  teardowns.clear();
  await Promise.allSettled(pending.map((teardown) => Promise.race([teardown(), new Promise((resolve) => setTimeout(resolve, limitMs).unref())])));
}
