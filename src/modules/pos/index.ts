/** The POS's public surface: the only file other modules and editions import. */
export { posEvents } from './events.ts';
export { posModule, createPosModule, type PosModuleOptions } from './manifest.ts';
export { createRegister, getRegister, listRegisters } from './register.service.ts';
export { openShift, closeShift, shiftReport, listShifts, type ImportedTime, type ShiftRow } from './shift.service.ts';
export { submitSale, type PosDeps, type SubmittedSale } from './sale.service.ts';
export { getSale, loadSale } from './sale.read.ts';
export { refundSale } from './refund.service.ts';
export { issueVoucher, findVoucher } from './voucher.service.ts';
export { computeTicket, planTenders, divRoundHalfUp, type Discount, type LineInput, type TicketTotals } from './domain/totals.ts';
export { receiptText, type ReceiptContext, type ReceiptWidth } from './domain/receipt.ts';
export type { Register, RegisterInput, Sale, SaleInput, Refund, RefundInput, ShiftReport, Voucher } from './domain/schemas.ts';
