export { authModule } from './manifest.ts';
export { createAuthenticator, sessionPolicyOf } from './authenticator.ts';
export { safeNext } from './sign-in.pages.ts';
