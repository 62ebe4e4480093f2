/**
 * Every service that compares against the clock takes `{ now }` so tests (and jobs replaying a
 * moment) choose the time instead of sleeping; the database's own now() is never used for expiry.
 */
export interface At {
  now?: Date;
}

export const nowOf = (options: At | undefined): Date => options?.now ?? new Date();

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

/** Whole seconds from `now` until `later`, at least 1 so a caller never sends `Retry-After: 0`. */
export const secondsUntil = (later: Date, now: Date): number => Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000));
