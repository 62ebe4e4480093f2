import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';
import { currencyCode, minorAmount } from '../../../kernel/money/index.ts';
import { TENANT_STATUSES } from '../../../kernel/tenancy/index.ts';
import { timeZoneName } from '../../../kernel/time/index.ts';

const required = (max: number) => text(max, 'is required').min(1, { error: 'is required' });

/** Same shape as the tenant table's check (tenant_slug_format). */
export const tenantSlug = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'must be 2–63 lower-case letters, digits or dashes, starting with a letter or digit' });

export const signupInput = z.strictObject({
  businessName: required(200),
  slug: tenantSlug,
  edition: required(40),
  ownerName: required(100),
  email: z.string({ error: 'is required' }).trim().max(254).pipe(z.email({ error: 'must be an email address' })),
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1000),
  /** The business's clocks; UTC until it chooses (business settings). */
  timeZone: timeZoneName.optional(),
});
export type SignupInput = z.output<typeof signupInput>;

/** Why a business is rejected or suspended: the owner reads it. */
export const reasonInput = z.strictObject({ reason: required(1000) });
export const optionalReasonInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });

export const tenantListQuery = z.strictObject({
  status: z.enum(TENANT_STATUSES).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
});
export type TenantListQuery = z.output<typeof tenantListQuery>;
export const TENANT_PAGE_SIZE = 50;

const moduleId = z.string().regex(/^[a-z][a-z0-9]*$/, { error: 'must be a module id' });
export const moduleSwitchInput = z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }) });
export const featureFlagKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{1,62}$/, { error: 'must be 2–63 lower-case letters, digits, dots, dashes or underscores' });
export const featureFlagInput = z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }) });
export const moduleIdParam = moduleId;

const limit = z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0).max(1_000_000).nullable();

export const planInput = z.strictObject({
  key: z
    .string({ error: 'is required' })
    .trim()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, { error: 'must be 2–40 lower-case letters, digits, dashes or underscores' }),
  name: required(100),
  priceMinor: minorAmount,
  currency: currencyCode,
  interval: z.enum(['month', 'year'], { error: 'must be month or year' }),
  stripePriceId: z.string().trim().max(100).regex(/^price_[A-Za-z0-9]+$/, { error: 'must be a Stripe price id (price_…)' }).nullable().default(null),
  maxMembers: limit.default(null),
  maxLocations: limit.default(null),
  maxTerminals: limit.default(null),
  /** Module ids the plan includes; null: all of the edition's modules. */
  modules: z.array(moduleId).max(50).nullable().default(null),
});
export type PlanInput = z.output<typeof planInput>;

export const planAssignment = z.strictObject({ planId: z.uuid({ error: 'must be a plan id' }) });

export const ANNOUNCEMENT_KINDS = ['announcement', 'maintenance'] as const;
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const AUDIENCES = ['all', 'editions', 'tenants'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const announcementInput = z
  .strictObject({
    kind: z.enum(ANNOUNCEMENT_KINDS).default('announcement'),
    title: required(120),
    body: required(2000),
    severity: z.enum(SEVERITIES).default('info'),
    audience: z.enum(AUDIENCES).default('all'),
    editions: z.array(z.string().max(40)).max(20).default([]),
    tenantIds: z.array(z.uuid()).max(500).default([]),
    startsAt: z.coerce.date({ error: 'must be a date and time' }),
    endsAt: z.coerce.date({ error: 'must be a date and time' }),
    /** Maintenance only: when the banner starts warning ahead of the window; default 3 days before. */
    announceFrom: z.coerce.date({ error: 'must be a date and time' }).optional(),
  })
  .refine((input) => input.endsAt > input.startsAt, { error: 'must be after the start', path: ['endsAt'] })
  .refine((input) => input.audience !== 'editions' || input.editions.length > 0, { error: 'choose at least one edition', path: ['editions'] })
  .refine((input) => input.audience !== 'tenants' || input.tenantIds.length > 0, { error: 'choose at least one business', path: ['tenantIds'] })
  .refine((input) => input.announceFrom === undefined || input.announceFrom <= input.startsAt, { error: 'must be before the start', path: ['announceFrom'] });
export type AnnouncementInput = z.output<typeof announcementInput>;
