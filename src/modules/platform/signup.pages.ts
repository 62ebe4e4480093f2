import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { signupInput } from './domain/inputs.ts';
import type { PlatformSetup } from './domain/types.ts';
import { SignupPage, type SignupFormValues } from './pages/signup.page.tsx';
import { submitSignup } from './signup.service.ts';

const PUBLIC = { access: 'public' } as const;
const hidden = { hide: true };

/** The public business sign-up form; it works without JavaScript and is rate-limited like sign-in. */
export function signupPageRoutes(app: AppInstance, setup: PlatformSetup): void {
  const editions = setup.editions.map(({ id, title }) => ({ id, title }));

  app.get('/signup', { config: PUBLIC, schema: hidden }, async (request, reply) => {
    const { received } = request.query as Record<string, unknown>;
    const values: SignupFormValues = { businessName: '', slug: '', edition: editions[0]?.id ?? '', timeZone: DEFAULT_TIME_ZONE, ownerName: '', email: '' };
    const shown = typeof received === 'string' && /^[a-z0-9-]{2,63}$/.test(received) ? received : undefined;
    return sendPage(reply, SignupPage({ values, errors: {}, editions, received: shown, chrome: chrome(request, reply) }));
  });

  app.post('/signup', { config: { ...PUBLIC, rateClass: 'auth' }, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: SignupFormValues = {
      businessName: formText(fields.businessName),
      slug: formText(fields.slug).trim().toLowerCase(),
      edition: formText(fields.edition),
      timeZone: formText(fields.timeZone) || DEFAULT_TIME_ZONE,
      ownerName: formText(fields.ownerName),
      email: formText(fields.email),
    };
    const parsed = signupInput.safeParse({ ...values, password: formText(fields.password) });
    const render = (errors: FieldErrors, formError?: string, status = 422) =>
      sendPage(reply, SignupPage({ values, errors, formError, editions, chrome: chrome(request, reply) }), status);
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      return render(errors);
    }
    try {
      const submitted = await submitSignup(request.server.db, setup, parsed.data, { requestId: request.id });
      return reply.redirect(`/signup?received=${encodeURIComponent(submitted.slug)}`, 303);
    } catch (error) {
      const { status, errors, formError } = formRejection(error);
      return render(errors, formError, status);
    }
  });
}
