import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';

/** What a visitor asks for: information about the service, or access to it (a client account). */
export const ENQUIRY_KINDS = ['enquiry', 'access'] as const;
export type EnquiryKind = (typeof ENQUIRY_KINDS)[number];
export const KIND_LABELS: Record<EnquiryKind, string> = { enquiry: 'Enquiry', access: 'Access request' };

/** The staff pipeline: new → contacted → qualified → converted, or closed (with a reason) from any open step. */
export const ENQUIRY_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'closed'] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];
export const STATUS_LABELS: Record<EnquiryStatus, string> = { new: 'New', contacted: 'Contacted', qualified: 'Qualified', converted: 'Converted', closed: 'Closed' };

/** The steps staff take forward; closing is separate because it needs a reason. */
export const FORWARD_STEPS = { contact: 'contacted', qualify: 'qualified' } as const satisfies Record<string, EnquiryStatus>;
export type ForwardStep = keyof typeof FORWARD_STEPS;

const NEXT: Record<EnquiryStatus, readonly EnquiryStatus[]> = {
  new: ['contacted', 'closed'],
  contacted: ['qualified', 'closed'],
  qualified: ['converted', 'closed'],
  converted: [],
  closed: [],
};

export const canMove = (from: EnquiryStatus, to: EnquiryStatus): boolean => NEXT[from].includes(to);
export const isOpen = (status: EnquiryStatus): boolean => NEXT[status].length > 0;

export const NAME_MAX = 120;
export const MESSAGE_MAX = 2000;
export const REASON_MAX = 500;

/** What the public form sends (besides its spam guards). */
export const enquiryInput = z.strictObject({
  name: text(NAME_MAX).pipe(z.string().trim().min(1, 'Tell us your name')),
  email: z.email({ error: 'Enter an email address like name@example.com' }).max(254),
  phone: text(40).default(''),
  postcode: text(12).default(''),
  message: text(MESSAGE_MAX).default(''),
});
export type EnquiryInput = z.output<typeof enquiryInput>;

export const closeInput = z.strictObject({ reason: text(REASON_MAX).pipe(z.string().trim().min(1, 'Say why the enquiry is closed')) });

export const enquiryListQuery = z.object({
  status: z.enum(ENQUIRY_STATUSES).optional(),
  kind: z.enum(ENQUIRY_KINDS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type EnquiryListQuery = z.output<typeof enquiryListQuery>;

export const enquiryView = z.object({
  id: z.uuid(),
  kind: z.enum(ENQUIRY_KINDS),
  status: z.enum(ENQUIRY_STATUSES),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  postcode: z.string(),
  message: z.string(),
  closeReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EnquiryView = z.output<typeof enquiryView>;
