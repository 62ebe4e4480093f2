import { ensureTenant, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import type { EnquiryInput, EnquiryKind } from '../../../src/modules/enquiries/index.ts';
import { submitEnquiry } from '../../../src/modules/enquiries/index.ts';
import type { TestApp } from '../../support/app.ts';

let counter = 0;

/** An enquiry as a visitor who took their time would send it; answers its id. */
export async function receivedEnquiry(t: TestApp, tenantId: string, kind: EnquiryKind = 'enquiry', input: Partial<EnquiryInput> = {}): Promise<string> {
  counter += 1;
  const ctx = { db: t.app.db, tenantId, actor: { kind: 'anonymous' } as const, requestId: `test-enquiry-${counter}`, log: t.app.log };
  const { enquiryId } = await submitEnquiry(ctx, {
    kind,
    input: { name: `Visitor ${counter}`, email: `visitor${counter}@example.com`, phone: '', postcode: '', message: 'Do you deliver on Sundays?', ...input },
    honeypot: '',
    shownAt: Date.now() - 60_000,
  });
  if (!enquiryId) throw new Error('the test enquiry was caught by the spam guard');
  return enquiryId;
}

/** A kitchen business (the edition that mounts enquiries) with its owner provisioned. */
export async function newKitchen(t: TestApp, slug: string): Promise<Tenant> {
  const tenant = await t.database.db.transaction((tx) => ensureTenant(tx, { slug, name: `Kitchen ${slug}`, edition: 'kitchen' }));
  await t.ownerOf(slug);
  return tenant;
}
