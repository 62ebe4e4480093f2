import type { ServiceContext } from '../../kernel/context.ts';
import { listRegisters, listShifts, shiftReport, type ShiftReport } from '../pos/index.ts';
import type { ShiftSummary } from './domain.ts';

/** pos hides expected cash and variance of blind-close shifts from those without it (pos's own rule). */
const SHIFT_REPORT = 'pos.shift.report';
const maySeeBlind = (ctx: Pick<ServiceContext, 'permissions'>) => !ctx.permissions || ctx.permissions.has(SHIFT_REPORT);

/** Closed shifts of every register (each register's latest 100, pos's listing), most recently closed first. */
export async function closedShifts(ctx: ServiceContext): Promise<ShiftSummary[]> {
  const registers = await listRegisters(ctx);
  const summaries: ShiftSummary[] = [];
  for (const register of registers) {
    for (const shift of await listShifts(ctx, register.id)) {
      if (shift.status !== 'closed') continue;
      const hidden = shift.blindClose && !maySeeBlind(ctx);
      summaries.push({
        shiftId: shift.id,
        registerId: register.id,
        registerName: register.name,
        locationId: register.locationId,
        status: shift.status,
        openedAt: shift.openedAt.toISOString(),
        closedAt: shift.closedAt?.toISOString() ?? null,
        currency: register.currency,
        countedCashMinor: shift.countedCashMinor,
        ...(hidden ? {} : { expectedCashMinor: shift.expectedCashMinor, varianceMinor: shift.varianceMinor }),
      });
    }
  }
  return summaries.sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || a.shiftId.localeCompare(b.shiftId));
}

/** The Z report of a closed shift (an X report while it is open), through pos's public interface. */
export function shiftZReport(ctx: ServiceContext, shiftId: string): Promise<ShiftReport> {
  return shiftReport(ctx, shiftId);
}
