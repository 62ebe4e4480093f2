import type { ServiceContext } from '../kernel/context.ts';
import { listEnquiries, moveEnquiry, submitEnquiry } from '../modules/enquiries/index.ts';
import { seedProducts } from './demo-products.ts';

const DEMO_ENQUIRIES = [
  { kind: 'access', name: 'Priya Shah', email: 'priya@example.com', phone: '07700 900123', postcode: 'SW11 2AB', message: 'Training for a marathon; I need 2,400 kcal a day. Peanut allergy.', steps: [] },
  { kind: 'enquiry', name: 'Tom Becker', email: 'tom.becker@example.com', phone: '', postcode: 'E8 3QP', message: 'Do you deliver to Hackney on Sundays?', steps: ['contacted'] },
  { kind: 'access', name: 'Amara Okafor', email: 'amara@example.com', phone: '07700 900456', postcode: 'N1 7GU', message: 'Vegetarian, no mushrooms please. Five lunches a week.', steps: ['contacted', 'qualified'] },
  { kind: 'enquiry', name: 'Lee Carter', email: 'lee@example.com', phone: '', postcode: 'M1 1AE', message: 'Can you deliver to Manchester?', steps: ['closed'] },
] as const;

/** The kitchen's demo: its packs, and a few enquiries along the pipeline (once: only into an empty pipeline). */
export async function seedKitchenDemo(ctx: ServiceContext): Promise<void> {
  await seedProducts(ctx, [
    { name: '5-meal pack', sku: 'PACK-5', priceMinor: 5495, costMinor: 1923, currency: 'GBP', active: true },
    { name: '10-meal pack', sku: 'PACK-10', priceMinor: 9990, costMinor: 3496, currency: 'GBP', active: true },
    { name: '20-meal pack', sku: 'PACK-20', priceMinor: 18900, costMinor: 6615, currency: 'GBP', active: true },
    { name: 'Breakfast add-on', sku: 'ADD-BRK', priceMinor: 450, costMinor: 158, currency: 'GBP', active: true },
  ]);
  const existing = await listEnquiries(ctx, { page: 1, pageSize: 1 });
  if (existing.pagination.total > 0) return;
  const aMinuteAgo = Date.now() - 60_000;
  for (const { kind, steps, ...input } of DEMO_ENQUIRIES) {
    const { enquiryId } = await submitEnquiry(ctx, { kind, input, honeypot: '', shownAt: aMinuteAgo });
    if (!enquiryId) continue;
    for (const step of steps) await moveEnquiry(ctx, enquiryId, step, step === 'closed' ? 'Outside our delivery area.' : undefined);
  }
}
