import { randomToken, type TotpEnrolment } from '../identity/index.ts';

/**
 * A browser sign-in whose password was right but whose role demands two-step enrolment first.
 * It waits here, keyed by a random token the browser holds in a cookie, so the password is
 * neither kept nor sent again while the person adds the key to their app.
 */
export interface PendingSignIn {
  userId: string;
  tenantId: string | null;
  next: string;
  enrolment: TotpEnrolment;
}

export const PENDING_SIGN_IN_COOKIE = 'plinth_sign_in_pending';
export const PENDING_SIGN_IN_SECONDS = 10 * 60;
/** Enough for every sign-in under way at once; the oldest go first beyond it, so a flood cannot grow memory. */
const MOST_PENDING = 10_000;

/** Held in this process's memory: short-lived and cheap to restart (the person signs in again). */
export class PendingSignIns {
  private readonly held = new Map<string, PendingSignIn & { expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  hold(pending: PendingSignIn): string {
    this.sweep();
    const token = randomToken();
    this.held.set(token, { ...pending, expiresAt: this.now() + PENDING_SIGN_IN_SECONDS * 1000 });
    return token;
  }

  find(token: string | undefined): PendingSignIn | undefined {
    const pending = token === undefined ? undefined : this.held.get(token);
    return pending && pending.expiresAt > this.now() ? pending : undefined;
  }

  drop(token: string): void {
    this.held.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, pending] of this.held) if (pending.expiresAt <= now) this.held.delete(token);
    // Insertion order is age order: past the bound, the oldest make room.
    for (const token of this.held.keys()) {
      if (this.held.size < MOST_PENDING) break;
      this.held.delete(token);
    }
  }
}
