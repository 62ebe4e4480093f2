import { AppError } from '../../kernel/errors.ts';

/** The POS error catalogue: each reason maps onto an envelope code. */
export const posErrors = {
  registerNotFound: () => new AppError('NOT_FOUND', 'Register was not found.', { reason: 'POS_REGISTER_NOT_FOUND' }),
  registerArchived: () => new AppError('CONFLICT', 'The register is archived.', { reason: 'POS_REGISTER_ARCHIVED' }),
  registerCodeTaken: (code: string) => new AppError('CONFLICT', `A register with code ${code} already exists.`, { reason: 'POS_REGISTER_CODE_TAKEN', field: 'code' }),
  deviceTaken: () => new AppError('CONFLICT', 'That terminal already runs another register.', { reason: 'POS_DEVICE_TAKEN', field: 'deviceId' }),
  deviceUnknown: () => new AppError('VALIDATION', 'No such terminal in this business (or it was revoked).', { reason: 'POS_DEVICE_UNKNOWN', field: 'deviceId' }),
  registerHasTerminal: () => new AppError('CONFLICT', 'The register already has a terminal; revoke it first.', { reason: 'POS_REGISTER_HAS_TERMINAL' }),
  registerHasNoTerminal: () => new AppError('CONFLICT', 'The register has no terminal.', { reason: 'POS_REGISTER_NO_TERMINAL' }),
  permissionRequired: (permission: string) => new AppError('AUTHZ', `You do not have permission to do this (${permission}).`, { reason: 'PERMISSION_REQUIRED', permission }),
  wrongTerminal: () => new AppError('AUTHZ', 'This terminal is not bound to that register.', { reason: 'POS_WRONG_TERMINAL' }),
  shiftNotFound: () => new AppError('NOT_FOUND', 'Shift was not found.', { reason: 'POS_SHIFT_NOT_FOUND' }),
  shiftAlreadyOpen: () => new AppError('CONFLICT', 'This register already has an open shift; close it first.', { reason: 'POS_SHIFT_ALREADY_OPEN' }),
  shiftClosed: () => new AppError('CONFLICT', 'The shift is closed.', { reason: 'POS_SHIFT_CLOSED' }),
  noOpenShift: () => new AppError('CONFLICT', 'Open a shift on this register first.', { reason: 'POS_NO_OPEN_SHIFT' }),
  shiftOfOtherRegister: () => new AppError('VALIDATION', 'The shift belongs to another register.', { reason: 'POS_SHIFT_REGISTER_MISMATCH', field: 'shiftId' }),
  saleNotFound: () => new AppError('NOT_FOUND', 'Sale was not found.', { reason: 'POS_SALE_NOT_FOUND' }),
  saleIdReused: () =>
    new AppError('CONFLICT', 'A different sale was already recorded with this id; generate a new id for a new sale.', { reason: 'POS_SALE_ID_REUSED' }),
  refundIdReused: () => new AppError('CONFLICT', 'A different refund was already recorded with this id.', { reason: 'POS_REFUND_ID_REUSED' }),
  productUnavailable: (productId: string) =>
    new AppError('VALIDATION', `Product ${productId} is not for sale (unknown, inactive or archived).`, { reason: 'POS_PRODUCT_UNAVAILABLE', productId, field: 'lines' }),
  currencyMismatch: (productId: string) =>
    new AppError('VALIDATION', `Product ${productId} is priced in another currency than the register's.`, { reason: 'POS_CURRENCY_MISMATCH', productId, field: 'lines' }),
  unknownTaxCode: (code: string) => new AppError('VALIDATION', `The register has no tax rate ${code}.`, { reason: 'POS_UNKNOWN_TAX_CODE', field: 'lines' }),
  negativeUnitPrice: () => new AppError('VALIDATION', 'Modifiers may not take a unit price below 0.', { reason: 'POS_NEGATIVE_UNIT_PRICE', field: 'lines' }),
  negativeTotal: () => new AppError('VALIDATION', 'A sale cannot total less than 0; take items back with a refund.', { reason: 'POS_NEGATIVE_TOTAL' }),
  nothingSold: () => new AppError('VALIDATION', 'Every line is voided; there is nothing to sell.', { reason: 'POS_NOTHING_SOLD', field: 'lines' }),
  tendersMismatch: (dueMinor: number) =>
    new AppError('VALIDATION', `The tenders must settle ${dueMinor} exactly (only cash may give change).`, { reason: 'POS_TENDERS_MISMATCH', dueMinor, field: 'tenders' }),
  totalMismatch: (serverTotalMinor: number, clientTotalMinor: number) =>
    new AppError('CONFLICT', 'The register computed another total than the server; prices or rules changed.', { reason: 'POS_TOTAL_MISMATCH', serverTotalMinor, clientTotalMinor }),
  soldAtInvalid: () => new AppError('VALIDATION', 'soldAt must lie within the shift and not in the future.', { reason: 'POS_SOLD_AT_INVALID', field: 'soldAt' }),
  cardNotCaptured: (status: string) => new AppError('CONFLICT', `The card payment is ${status}.`, { reason: 'POS_CARD_NOT_CAPTURED', status }),
  cardUnavailable: () => new AppError('CONFLICT', 'Card payments are not set up for this installation.', { reason: 'POS_CARD_UNAVAILABLE' }),
  voucherMissing: () => new AppError('NOT_FOUND', 'Voucher was not found.', { reason: 'POS_VOUCHER_NOT_FOUND' }),
  voucherNotFound: () => new AppError('VALIDATION', 'No voucher with that code.', { reason: 'POS_VOUCHER_NOT_FOUND', field: 'tenders' }),
  voucherCodeTaken: () => new AppError('CONFLICT', 'A voucher with that code exists.', { reason: 'POS_VOUCHER_CODE_TAKEN', field: 'code' }),
  voucherInsufficient: (balanceMinor: number) =>
    new AppError('CONFLICT', `The voucher holds only ${balanceMinor}.`, { reason: 'POS_VOUCHER_INSUFFICIENT', balanceMinor }),
  nothingToRefund: () => new AppError('CONFLICT', 'Those lines are already refunded.', { reason: 'POS_NOTHING_TO_REFUND' }),
  refundExceedsSold: (lineNo: number, refundable: number) =>
    new AppError('CONFLICT', `Line ${lineNo} has only ${refundable} left to refund.`, { reason: 'POS_REFUND_EXCEEDS_SOLD', lineNo, refundable }),
  unknownLine: (lineNo: number) => new AppError('VALIDATION', `The sale has no refundable line ${lineNo}.`, { reason: 'POS_UNKNOWN_LINE', field: 'lines' }),
  saleVoided: () => new AppError('CONFLICT', 'The sale is voided.', { reason: 'POS_SALE_VOIDED' }),
  voidNeedsOpenShift: () => new AppError('CONFLICT', 'A sale can be voided only while its shift is open; refund it instead.', { reason: 'POS_VOID_SHIFT_CLOSED' }),
  voidAfterRefund: () => new AppError('CONFLICT', 'The sale was partly refunded; refund the rest instead of voiding.', { reason: 'POS_VOID_AFTER_REFUND' }),
  permission: (permission: string, missing: readonly string[]) =>
    new AppError('AUTHZ', `You do not have permission to do this (${permission}); a manager can approve it.`, { reason: 'PERMISSION_REQUIRED', permission, missing }),
  overrideRefused: () => new AppError('AUTHZ', 'The manager override was not accepted (wrong person or PIN).', { reason: 'POS_OVERRIDE_REFUSED' }),
  overrideNotAllowed: (permission: string) =>
    new AppError('AUTHZ', `The approving manager does not hold ${permission}.`, { reason: 'PERMISSION_REQUIRED', permission, approver: true }),
  overrideLocked: (seconds: number) => new AppError('RATE_LIMIT', `Too many wrong PINs; try again in ${seconds} s.`, { reason: 'LOCKED', retryAfterSeconds: seconds }),
};
