import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formRoute, parseWith } from '../../web/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { signupInput } from './domain/inputs.ts';
import type { PlatformSetup } from './domain/types.ts';
import { SignupPage } from './pages/signup.page.tsx';
import { submitSignup } from './signup.service.ts';

const PUBLIC = { access: 'public' } as const;

/** The public business sign-up form; it works without JavaScript and is rate-limited like sign-in. */
export function signupPageRoutes(app: AppInstance, setup: PlatformSetup): void {
  const editions = setup.editions.map(({ id, title }) => ({ id, title }));

  formRoute(app, {
    path: '/signup',
    config: { ...PUBLIC, rateClass: 'auth' },
    show: { path: '/signup', config: PUBLIC, values: () => ({ businessName: '', slug: '', edition: editions[0]?.id ?? '', timeZone: DEFAULT_TIME_ZONE, ownerName: '', email: '', password: '' }) },
    values: (form) => ({
      businessName: form.text('businessName'),
      slug: form.text('slug').trim().toLowerCase(),
      edition: form.text('edition'),
      timeZone: form.text('timeZone') || DEFAULT_TIME_ZONE,
      ownerName: form.text('ownerName'),
      email: form.text('email'),
      password: form.text('password'),
    }),
    parse: (values) => parseWith(signupInput, values),
    submit: async (input, request) => `/signup?received=${encodeURIComponent((await submitSignup(request.server.db, setup, input, { requestId: request.id })).slug)}`,
    // The password is never sent back to the page.
    render: ({ values: { password: _password, ...values }, ...form }, request, reply) => {
      const { received } = request.query as Record<string, unknown>;
      const shown = typeof received === 'string' && /^[a-z0-9-]{2,63}$/.test(received) ? received : undefined;
      return SignupPage({ values, ...form, editions, received: shown, chrome: chrome(request, reply) });
    },
  });
}
