import { defineModule } from '../module/index.ts';
import { deriveIdentityKeys, passwordPolicyOf } from '../identity/index.ts';
import { accountRoutes } from './account.routes.ts';
import { sessionPolicyOf } from './authenticator.ts';
import { emailVerificationPages } from './email-verification.pages.ts';
import { invitationPages } from './invitation.pages.ts';
import { memberSecurityPages } from './member-security.pages.ts';
import { memberSecurityRoutes } from './member-security.routes.ts';
import { passwordResetRoutes } from './password-reset.routes.ts';
import { signInPages } from './sign-in.pages.ts';
import { terminalRoutes } from './terminal.routes.ts';
import { tokenRoutes } from './token.routes.ts';

/** The HTTP face of identity: sign-in pages, API tokens, password reset and email verification. */
export const authModule = defineModule({
  id: 'auth',
  title: 'Sign-in and terminals',
  permissions: [
    { key: 'auth.terminal.read', description: "See the business's registered terminals" },
    { key: 'auth.terminal.manage', description: 'Register and revoke terminals (tills, kitchen screens)' },
  ],
  routes: (app, { config, rootSecret }) => {
    const keys = deriveIdentityKeys(rootSecret);
    tokenRoutes(app, keys, passwordPolicyOf(config));
    terminalRoutes(app, keys);
    signInPages(app, keys, sessionPolicyOf(config), passwordPolicyOf(config));
    accountRoutes(app, keys, sessionPolicyOf(config));
    invitationPages(app, sessionPolicyOf(config));
    passwordResetRoutes(app, config);
    emailVerificationPages(app, config);
    memberSecurityRoutes(app);
    memberSecurityPages(app);
  },
});
