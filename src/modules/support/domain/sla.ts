import type { TicketPriority } from './ticket.ts';

const HOUR = 3_600_000;

/**
 * Service levels by priority, in wall-clock hours from the ticket's creation (no business-hours
 * calendar yet): how soon staff must first answer publicly, and how soon the ticket must be resolved.
 *
 * | priority | first response | resolution |
 * | urgent   | 1 h            | 8 h        |
 * | high     | 4 h            | 24 h       |
 * | normal   | 8 h            | 72 h       |
 * | low      | 24 h           | 168 h      |
 */
export const SLA_POLICY: Record<TicketPriority, { firstResponseHours: number; resolutionHours: number }> = {
  urgent: { firstResponseHours: 1, resolutionHours: 8 },
  high: { firstResponseHours: 4, resolutionHours: 24 },
  normal: { firstResponseHours: 8, resolutionHours: 72 },
  low: { firstResponseHours: 24, resolutionHours: 168 },
};

export function slaDueTimes(priority: TicketPriority, createdAt: Date): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const policy = SLA_POLICY[priority];
  return {
    firstResponseDueAt: new Date(createdAt.getTime() + policy.firstResponseHours * HOUR),
    resolutionDueAt: new Date(createdAt.getTime() + policy.resolutionHours * HOUR),
  };
}

/** A deadline is breached when what it waits for came after it, or has not come and it has passed. */
export const isBreached = (dueAt: Date, doneAt: Date | null, now: Date): boolean => (doneAt ?? now).getTime() > dueAt.getTime();
