/** The HTTP layer's public face: what the kernel's routes and pages, the modules and the composition root use. */
export { buildApp, type BuildAppOptions } from './app.ts';
export { serviceContext } from './context.ts';
export { SESSION_COOKIE, bearerToken, assertWritableFields, canWriteField, hiddenFields, withoutFields, type Authenticated, type Authenticator } from './guard/index.ts';
export { entitledModulesOf, loadAuthorization, type MemberAccess } from './guard/authorize.ts';
export { assertSignedJson, formTextIssues } from './edge/index.ts';
