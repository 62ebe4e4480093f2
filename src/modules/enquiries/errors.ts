import { AppError } from '../../kernel/errors.ts';
import { STATUS_LABELS, type EnquiryStatus } from './domain/enquiry.ts';

/** The enquiries module's error catalogue: each reason maps onto an envelope code. */
export const enquiryErrors = {
  enquiryNotFound: () => new AppError('NOT_FOUND', 'Enquiry was not found.', { reason: 'ENQUIRY_NOT_FOUND' }),
  /** A business that does not exist or takes no enquiries looks the same. */
  businessNotFound: () => new AppError('NOT_FOUND', 'Page was not found.', { reason: 'ENQUIRY_BUSINESS_NOT_FOUND' }),
  transitionRefused: (from: EnquiryStatus, to: EnquiryStatus) =>
    new AppError('CONFLICT', `An enquiry that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}.`, {
      reason: 'ENQUIRY_STATUS_TRANSITION',
      from,
      to,
    }),
};
