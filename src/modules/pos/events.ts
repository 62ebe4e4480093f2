import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { TENDER_KINDS } from './pos.table.ts';

const id = z.guid();
const minor = z.number().int();
/** A refund or a void of a sale: what it gives back, line by line and tender by tender. */
const refunded = z.object({
  refundId: id,
  saleId: id,
  saleNumber: z.string(),
  registerId: id,
  shiftId: id,
  locationId: id,
  amountMinor: minor,
  taxMinor: minor,
  currency: z.string(),
  lines: z.array(z.object({ lineNo: z.number().int(), productId: id, quantity: z.number().int(), amountMinor: minor, taxMinor: minor })),
  tenders: z.array(z.object({ kind: z.enum(TENDER_KINDS), seq: z.number().int(), amountMinor: minor, chargeId: z.string().nullable().optional(), voucherId: z.string().nullable().optional() })),
});
const cashMovement = z.object({ shiftId: id, registerId: id, movementId: id, amountMinor: minor });

/** The POS's events; cash paid into and out of a drawer has one each (`pos.cash.paid_<in|out>`). */
export const posEvents = defineEvents({
  'pos.sale.completed': z.object({
    saleId: id,
    saleNumber: z.string(),
    registerId: id,
    shiftId: id,
    locationId: id,
    soldAt: z.iso.datetime({ offset: true }),
    currency: z.string(),
    totalMinor: minor,
    taxMinor: minor,
    tipMinor: minor,
    lines: z.array(z.object({ productId: id, quantity: z.number().int() })),
    tenders: z.array(z.object({ kind: z.enum(TENDER_KINDS), amountMinor: minor, chargeId: z.string().nullable() })),
  }),
  'pos.sale.refunded': refunded,
  'pos.sale.voided': refunded,
  'pos.voucher.issued': z.object({ voucherId: id, currency: z.string(), amountMinor: minor }),
  'pos.shift.opened': z.object({ shiftId: id, registerId: id, locationId: id, openingFloatMinor: minor }),
  'pos.shift.closed': z.object({
    shiftId: id,
    registerId: id,
    locationId: id,
    countedCashMinor: minor,
    expectedCashMinor: minor,
    varianceMinor: minor,
    salesTotalMinor: minor,
    currency: z.string(),
  }),
  'pos.cash.paid_in': cashMovement,
  'pos.cash.paid_out': cashMovement,
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof posEvents> {}
}
