import type { AppInstance, ModuleServices } from '../../kernel/module/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { setupInput, type SetupInput } from './domain/setup-input.ts';
import { SetupPage, TAX_ROWS, type SetupFormValues } from './pages/setup.page.tsx';
import { setupWithCode, type SetupOptions } from './setup.routes.ts';
import { needsSetup } from './setup.service.ts';

const hidden = { hide: true };

const EMPTY: SetupFormValues = {
  code: '',
  businessName: '',
  slug: '',
  timeZone: DEFAULT_TIME_ZONE,
  adminName: '',
  adminEmail: '',
  currency: 'EUR',
  pricesIncludeTax: true,
  taxRates: [
    { code: 'STD', label: 'Standard', percent: '21' },
    { code: 'RED', label: 'Reduced', percent: '9' },
    { code: 'ZERO', label: 'Exempt', percent: '0' },
  ],
  defaultTaxCode: 'STD',
  receiptPrefix: 'R',
  invoicePrefix: 'INV',
};

function formValues(body: unknown): { values: SetupFormValues; password: string } {
  const fields = formFields(body);
  const field = (name: string) => formText(fields[name]);
  return {
    password: field('adminPassword'),
    values: {
      code: field('code'),
      businessName: field('businessName'),
      slug: field('slug'),
      timeZone: field('timeZone'),
      adminName: field('adminName'),
      adminEmail: field('adminEmail'),
      currency: field('currency'),
      pricesIncludeTax: field('pricesIncludeTax') === 'on',
      taxRates: Array.from({ length: TAX_ROWS }, (_, index) => ({ code: field(`taxCode${index}`), label: field(`taxLabel${index}`), percent: field(`taxPercent${index}`) })),
      defaultTaxCode: field('defaultTaxCode'),
      receiptPrefix: field('receiptPrefix'),
      invoicePrefix: field('invoicePrefix'),
    },
  };
}

/** "5.5" % → 550 basis points; undefined for anything but a plain percentage with up to two decimals. */
const basisPoints = (percent: string): number | undefined => (/^\d{1,3}(\.\d{1,2})?$/.test(percent.trim()) ? Math.round(Number(percent) * 100) : undefined);

/** A form field's name for a Zod issue path (tax rows are numbered fields). */
function fieldOf(path: readonly PropertyKey[]): string {
  const [first, index, part] = path;
  if (first === 'taxRates' && typeof index === 'number') return `${part === 'rateBp' ? 'taxPercent' : part === 'label' ? 'taxLabel' : 'taxCode'}${index}`;
  return String(first);
}

function parseForm(values: SetupFormValues, password: string): { input?: SetupInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rows = values.taxRates.map((rate, index) => ({ ...rate, index })).filter((rate) => rate.code || rate.label || rate.percent || rate.index === 0);
  const taxRates = rows.map((rate) => {
    const rateBp = basisPoints(rate.percent);
    if (rateBp === undefined) errors[`taxPercent${rate.index}`] = 'must be a percentage such as 21 or 5.5';
    return { code: rate.code, label: rate.label, rateBp: rateBp ?? 0 };
  });
  const { code: _code, ...setup } = values;
  const parsed = setupInput.safeParse({ ...setup, adminPassword: password, taxRates });
  if (!parsed.success) for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message;
  return parsed.success && Object.keys(errors).length === 0 ? { input: parsed.data, errors } : { errors };
}

export function setupPageRoutes(app: AppInstance, services: ModuleServices, options: SetupOptions): void {
  app.get('/setup', { config: { access: 'public' }, schema: hidden }, async (request, reply) => {
    if (!(await needsSetup(app.db))) return reply.redirect('/sign-in', 303);
    return sendPage(reply, SetupPage({ values: EMPTY, errors: {}, chrome: chrome(request, reply) }));
  });

  app.post('/setup', { config: { access: 'public', rateClass: 'auth' }, schema: hidden }, async (request, reply) => {
    const { values, password } = formValues(request.body);
    const { input, errors } = parseForm(values, password);
    if (!values.code.trim()) errors.code = 'is required';
    if (!input || errors.code) return sendPage(reply, SetupPage({ values, errors, chrome: chrome(request, reply) }), 422);
    try {
      await setupWithCode(app, services, options, request, values.code, input);
      return reply.redirect('/sign-in?done=setup', 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendPage(reply, SetupPage({ values, errors: rejection.errors, formError: rejection.formError, chrome: chrome(request, reply) }), rejection.status);
    }
  });
}
