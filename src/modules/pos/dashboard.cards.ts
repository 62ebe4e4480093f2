import { and, desc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import type { CardContent, DashboardCard } from '../../kernel/module/index.ts';
import { tenantTimeZone, withTenantTx } from '../../kernel/tenancy/index.ts';
import { formatDateTime } from '../../kernel/time/index.ts';
import { posRegister, posShift } from './pos.table.ts';

const REGISTERS = { label: 'Registers', href: '/pos/registers' };

/** The registers with a shift open now, and since when (on the business's clocks). */
async function openShiftsCard(ctx: ServiceContext): Promise<CardContent> {
  const { rows, timeZone } = await withTenantTx(ctx, async (uow) => ({
    rows: await uow.tx
      .select({ register: posRegister.name, openedAt: posShift.openedAt })
      .from(posShift)
      .innerJoin(posRegister, and(eq(posRegister.tenantId, posShift.tenantId), eq(posRegister.id, posShift.registerId)))
      .where(and(eq(posShift.tenantId, uow.tenantId), eq(posShift.status, 'open')))
      .orderBy(desc(posShift.openedAt)),
    timeZone: await tenantTimeZone(uow.tx, ctx.tenantId),
  }));
  return {
    ...(rows.length > 0 ? { headline: { value: String(rows.length), caption: rows.length === 1 ? 'register open' : 'registers open' } } : {}),
    items: rows.map((row) => ({ label: row.register, detail: `open since ${formatDateTime(row.openedAt, timeZone)}` })),
    empty: { text: 'No shift is open. A cashier opens one on the register with the opening float.', action: { label: 'Open the register', href: '/pos/register' } },
    link: REGISTERS,
  };
}

/**
 * Registers whose last closed shift still held sales the register had not sent: they arrive when
 * the register is next online, so someone should bring it online.
 */
async function unsyncedCard(ctx: ServiceContext): Promise<CardContent> {
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx
      .selectDistinctOn([posShift.registerId], { register: posRegister.name, unsynced: posShift.unsyncedCount })
      .from(posShift)
      .innerJoin(posRegister, and(eq(posRegister.tenantId, posShift.tenantId), eq(posRegister.id, posShift.registerId)))
      .where(and(eq(posShift.tenantId, uow.tenantId), eq(posShift.status, 'closed')))
      .orderBy(posShift.registerId, desc(posShift.closedAt)),
  );
  const waiting = rows.filter((row) => row.unsynced > 0);
  return {
    items: waiting.map((row) => ({ label: row.register, detail: `${row.unsynced} sale${row.unsynced === 1 ? '' : 's'} not sent yet` })),
    empty: { text: 'Every register has sent all its sales.' },
    link: REGISTERS,
  };
}

export const POS_CARDS: readonly DashboardCard[] = [
  { id: 'open-shifts', title: 'Open shifts', area: 'business', permission: 'pos.register.read', order: 40, load: openShiftsCard },
  { id: 'unsynced-sales', title: 'Registers with unsent sales', area: 'business', permission: 'pos.register.read', order: 50, load: unsyncedCard },
];
