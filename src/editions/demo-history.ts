import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../kernel/context.ts';
import { addDays, instantOfLocalDateTime, localDate } from '../kernel/time/index.ts';
import { listProducts, type Product } from '../modules/catalog/index.ts';
import { receiveStock } from '../modules/inventory/index.ts';
import { closeShift, listRegisters, listShifts, openShift, shiftReport, submitSale } from '../modules/pos/index.ts';

/** A small seeded generator (mulberry32), so every demo start writes the same plausible history. */
function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Sales on a day of the week (Sunday closed, busy Saturdays). */
const SALES_BY_WEEKDAY = [0, 2, 2, 2, 3, 4, 5] as const;
const SATURDAY = 6;
const OPENING_FLOAT_MINOR = 15_000;

/** The weekday (0 Sunday … 6 Saturday) of a calendar day; a date, not an instant, so no time zone. */
const weekdayOf = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay();

/**
 * The demo shop's past `days` days at its first register, through pos's own use cases: a shift a
 * week (opened Monday 09:00, closed Saturday 18:00 on the shop's clocks; a till's Z report per
 * week keeps the first start quick) with cash sales on each opening day, so stock moves, Z reports
 * and the audit chain are exactly what the till would have written. Skipped once the register has
 * a shift; a delivery first covers what the history sells.
 */
export async function seedSalesHistory(ctx: ServiceContext, options: { days: number; timeZone: string }): Promise<void> {
  const register = (await listRegisters(ctx))[0];
  if (!register || (await listShifts(ctx, register.id)).length > 0) return;
  const products = (await listProducts(ctx, { page: 1, pageSize: 100, status: 'active' })).data.filter((product) => product.currency === register.currency);
  if (products.length === 0) return;
  await receiveStock(ctx, { locationId: register.locationId, lines: products.map((product) => ({ productId: product.id, quantity: 500 })), reference: 'Season delivery' });
  const random = randomFrom(20261207);
  const today = localDate(new Date(), options.timeZone);
  let shiftId: string | undefined;
  for (let back = options.days; back >= 1; back--) {
    const day = addDays(today, -back);
    const weekday = weekdayOf(day);
    const sales = SALES_BY_WEEKDAY[weekday] ?? 0;
    if (sales === 0) continue;
    const at = (time: string) => instantOfLocalDateTime(`${day} ${time}`, options.timeZone) as Date;
    shiftId ??= (await openShift(ctx, register.id, { openingFloatMinor: OPENING_FLOAT_MINOR, blindClose: false }, { at: at('09:00') })).shift.id;
    for (let sale = 0; sale < sales; sale++) {
      const minutes = 10 + Math.floor(((sale + random()) / sales) * 520);
      const soldAt = new Date(at('09:00').getTime() + minutes * 60_000);
      await submitSale(ctx, { payments: undefined }, saleOf(register.id, shiftId, soldAt, pickLines(products, random)));
    }
    if (weekday === SATURDAY || back === 1) {
      await closeWithCount(ctx, shiftId, random, at('18:00'));
      shiftId = undefined;
    }
  }
}

/** Closes the shift with its expected cash counted, now and then a coin or two off, as real drawers are. */
async function closeWithCount(ctx: ServiceContext, shiftId: string, random: () => number, at: Date): Promise<void> {
  const expected = (await shiftReport(ctx, shiftId)).cash.expectedMinor ?? 0;
  const variance = random() < 0.3 ? (random() < 0.5 ? -1 : 1) * 50 * Math.ceil(random() * 4) : 0;
  await closeShift(ctx, shiftId, { countedCashMinor: expected + variance, unsyncedCount: 0 }, { at });
}

/** One to three different products, mostly one of each; the cheap ones sell more often. */
function pickLines(products: readonly Product[], random: () => number): { product: Product; quantity: number }[] {
  const byPrice = [...products].sort((a, b) => a.priceMinor - b.priceMinor);
  const count = 1 + Math.floor(random() * random() * 3);
  const picked = new Map<string, { product: Product; quantity: number }>();
  for (let line = 0; line < count; line++) {
    const product = byPrice[Math.floor(random() * random() * byPrice.length)] as Product;
    picked.set(product.id, { product, quantity: random() < 0.8 ? 1 : 2 });
  }
  return [...picked.values()];
}

/** A cash sale paid with the total rounded up to the next 5 (the change is given back). */
function saleOf(registerId: string, shiftId: string, soldAt: Date, lines: readonly { product: Product; quantity: number }[]) {
  const totalMinor = lines.reduce((sum, line) => sum + line.product.priceMinor * line.quantity, 0);
  return {
    id: randomUUID(),
    registerId,
    shiftId,
    soldAt: soldAt.toISOString(),
    lines: lines.map((line) => ({ productId: line.product.id, quantity: line.quantity, modifiers: [] })),
    tipMinor: 0,
    tenders: [{ kind: 'cash' as const, amountMinor: Math.ceil(totalMinor / 500) * 500 }],
  };
}
