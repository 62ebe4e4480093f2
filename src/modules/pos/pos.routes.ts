import { z } from 'zod';
import { checkpointAfterCommit } from '../../kernel/audit/index.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { RECEIPT_WIDTHS, receiptText, type ReceiptWidth } from './domain/receipt.ts';
import {
  cashMovementInput,
  refund,
  refundInput,
  register,
  registerInput,
  registerPatch,
  sale,
  saleInput,
  shiftCloseInput,
  shiftOpenInput,
  shiftReport,
  voidInput,
  voucher,
  voucherInput,
} from './domain/schemas.ts';
import { printReceipt } from './receipt.service.ts';
import { refundSale, listRefunds } from './refund.service.ts';
import { createRegister, getRegister, listRegisters, updateRegister } from './register.service.ts';
import { getSale } from './sale.read.ts';
import { submitSale, type PosDeps } from './sale.service.ts';
import { closeShift, openShift, recordCashMovement, shiftReport as reportOf } from './shift.service.ts';
import { findVoucher, issueVoucher } from './voucher.service.ts';

const tags = ['pos'];
const access = (permission: string) => ({ access: { permission } }) as const;
export const POS_PERMISSIONS = {
  registerRead: 'pos.register.read',
  registerManage: 'pos.register.manage',
  shiftOperate: 'pos.shift.operate',
  saleCreate: 'pos.sale.create',
  saleRead: 'pos.sale.read',
  voucherManage: 'pos.voucher.manage',
} as const;

const idParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }) });
const codeParams = z.strictObject({ code: z.string().trim().min(4).max(40) });
const data = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

/** `auditSigningKeyFile`: the key that signs the audit chain's head after each shift close (Z report). */
export function posApiRoutes(app: AppInstance, deps: PosDeps, auditSigningKeyFile: string): void {
  // Registers (managers).
  app.get('/v1/pos/registers', { config: access(POS_PERMISSIONS.registerRead), schema: { tags, summary: 'List registers', response: { 200: data(z.array(register)) } } }, async (request) => ({
    data: await listRegisters(serviceContext(request)),
  }));
  app.post(
    '/v1/pos/registers',
    { config: access(POS_PERMISSIONS.registerManage), schema: { tags, summary: 'Create a register at a location, optionally bound to a terminal', body: registerInput, response: { 201: data(register) } } },
    async (request, reply) => reply.code(201).send({ data: await createRegister(serviceContext(request), request.body) }),
  );
  app.get('/v1/pos/registers/:id', { config: access(POS_PERMISSIONS.registerRead), schema: { tags, summary: 'Get a register', params: idParams, response: { 200: data(register) } } }, async (request) => ({
    data: await getRegister(serviceContext(request), request.params.id),
  }));
  app.patch(
    '/v1/pos/registers/:id',
    { config: access(POS_PERMISSIONS.registerManage), schema: { tags, summary: 'Rename, rebind, change the discount limit, archive or restore a register', params: idParams, body: registerPatch, response: { 200: data(register) } } },
    async (request) => ({ data: await updateRegister(serviceContext(request), request.params.id, request.body) }),
  );

  // Shifts.
  app.post(
    '/v1/pos/registers/:id/shifts',
    { config: access(POS_PERMISSIONS.shiftOperate), schema: { tags, summary: 'Open a shift with its opening float (one open shift per register)', params: idParams, body: shiftOpenInput, response: { 201: data(shiftReport) } } },
    async (request, reply) => reply.code(201).send({ data: await openShift(serviceContext(request), request.params.id, request.body) }),
  );
  app.get(
    '/v1/pos/shifts/:id/report',
    { config: access(POS_PERMISSIONS.shiftOperate), schema: { tags, summary: 'X report (open shift) or Z report (closed shift)', params: idParams, response: { 200: data(shiftReport) } } },
    async (request) => ({ data: await reportOf(serviceContext(request), request.params.id) }),
  );
  app.post(
    '/v1/pos/shifts/:id/cash-movements',
    {
      config: access(POS_PERMISSIONS.shiftOperate),
      schema: {
        tags,
        summary: 'Pay cash into or out of the drawer, with a reason',
        params: idParams,
        body: cashMovementInput,
        response: { 201: data(z.object({ id: z.uuid(), shiftId: z.uuid(), kind: z.enum(['in', 'out']), amountMinor: z.number(), reason: z.string(), createdAt: z.iso.datetime() })) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await recordCashMovement(serviceContext(request), request.params.id, request.body) }),
  );
  app.post(
    '/v1/pos/shifts/:id/close',
    { config: access(POS_PERMISSIONS.shiftOperate), schema: { tags, summary: 'Close a shift with the counted cash; answers the Z report', params: idParams, body: shiftCloseInput, response: { 200: data(shiftReport) } } },
    async (request) => {
      const ctx = serviceContext(request);
      const report = await closeShift(ctx, request.params.id, request.body);
      // The Z report's entries are committed: sign the chain head now, so they are on record outside the database.
      await checkpointAfterCommit({ db: ctx.db, signingKeyFile: auditSigningKeyFile }, ctx.tenantId, request.log);
      return { data: report };
    },
  );

  // Sales, refunds, voids.
  app.post(
    '/v1/pos/sales',
    {
      config: access(POS_PERMISSIONS.saleCreate),
      schema: { tags, summary: 'Record a sale (exactly once per client-generated id): 201 new, 200 the same sale again', body: saleInput, response: { 200: data(sale), 201: data(sale) } },
    },
    async (request, reply) => {
      const outcome = await submitSale(serviceContext(request), deps, request.body);
      return reply.code(outcome.created ? 201 : 200).send({ data: outcome.sale });
    },
  );
  app.get('/v1/pos/sales/:id', { config: access(POS_PERMISSIONS.saleRead), schema: { tags, summary: 'Get a sale', params: idParams, response: { 200: data(sale) } } }, async (request) => ({
    data: await getSale(serviceContext(request), request.params.id),
  }));
  app.get(
    '/v1/pos/sales/:id/receipt.txt',
    {
      config: access(POS_PERMISSIONS.saleRead),
      schema: {
        tags,
        summary: 'Plain-text receipt for a 32- or 48-column thermal printer (every print after the first says REPRINT)',
        params: idParams,
        querystring: z.strictObject({ width: z.enum(RECEIPT_WIDTHS.map(String) as ['32', '48']).default('48') }),
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      const width = Number(request.query.width) as ReceiptWidth;
      const { sale: found, context } = await printReceipt(serviceContext(request), request.params.id, request.tenant?.name ?? '', `text/${width}`);
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(receiptText(found, context, width));
    },
  );
  app.post(
    '/v1/pos/sales/:id/refunds',
    {
      config: access(POS_PERMISSIONS.saleCreate),
      schema: { tags, summary: 'Refund lines of a sale (needs pos.ticket.refund or a manager override): 201 new, 200 the same refund again', params: idParams, body: refundInput, response: { 200: data(refund), 201: data(refund) } },
    },
    async (request, reply) => {
      const outcome = await refundSale(serviceContext(request), deps, request.params.id, request.body, 'refund');
      return reply.code(outcome.created ? 201 : 200).send({ data: outcome.refund });
    },
  );
  app.get('/v1/pos/sales/:id/refunds', { config: access(POS_PERMISSIONS.saleRead), schema: { tags, summary: 'Refunds and voids of a sale', params: idParams, response: { 200: data(z.array(refund)) } } }, async (request) => ({
    data: await listRefunds(serviceContext(request), request.params.id),
  }));
  app.post(
    '/v1/pos/sales/:id/void',
    {
      config: access(POS_PERMISSIONS.saleCreate),
      schema: { tags, summary: 'Void a whole sale while its shift is open (needs pos.ticket.void or a manager override)', params: idParams, body: voidInput, response: { 200: data(refund), 201: data(refund) } },
    },
    async (request, reply) => {
      const outcome = await refundSale(serviceContext(request), deps, request.params.id, request.body, 'void');
      return reply.code(outcome.created ? 201 : 200).send({ data: outcome.refund });
    },
  );

  // Vouchers.
  app.post(
    '/v1/pos/vouchers',
    { config: access(POS_PERMISSIONS.voucherManage), schema: { tags, summary: 'Issue a voucher with a balance', body: voucherInput, response: { 201: data(voucher) } } },
    async (request, reply) => reply.code(201).send({ data: await issueVoucher(serviceContext(request), request.body) }),
  );
  app.get(
    '/v1/pos/vouchers/:code',
    { config: access(POS_PERMISSIONS.saleCreate), schema: { tags, summary: "A voucher's balance, by code", params: codeParams, response: { 200: data(voucher) } } },
    async (request) => ({ data: await findVoucher(serviceContext(request), request.params.code) }),
  );
}
