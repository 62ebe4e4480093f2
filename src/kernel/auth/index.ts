export { createAuthenticator, sessionPolicyOf } from './authenticator.ts';
export { safeNext } from './sign-in.pages.ts';
export { setSessionCookie } from './browser-session.ts';
