/** Enquiries' public surface: the only file other modules and editions import. */
export { enquiriesModule } from './manifest.ts';
export { enquiriesEvents } from './events.ts';
export { submitEnquiry, listEnquiries, getEnquiry, moveEnquiry } from './enquiry.service.ts';
export type { EnquiryView, EnquiryStatus, EnquiryKind, EnquiryInput } from './domain/enquiry.ts';
