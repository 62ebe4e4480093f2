export { createAuthenticator, sessionPolicyOf } from './authenticator.ts';
export { safeNext, setSessionCookie } from './sign-in.pages.ts';
