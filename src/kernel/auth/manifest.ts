import { defineModule } from '../module/index.ts';
import { deriveIdentityKeys } from '../identity/index.ts';
import { sessionPolicyOf } from './authenticator.ts';
import { signInPages } from './sign-in.pages.ts';
import { tokenRoutes } from './token.routes.ts';

/** The HTTP face of identity: sign-in pages, API tokens. */
export const authModule = defineModule({
  id: 'auth',
  permissions: [],
  routes: (app, { config, rootSecret }) => {
    const keys = deriveIdentityKeys(rootSecret);
    tokenRoutes(app, keys);
    signInPages(app, keys, sessionPolicyOf(config));
  },
});
