import type { Runtime, RunningServer } from '../main.ts';

/** What `npm start` prints once the server listens: where everything is. */
export function printBanner(server: RunningServer, runtime: Runtime): void {
  const base = server.url.replace(/\/$/, '');
  const lines = [
    '',
    `Plinth is running at ${base}/`,
    `  editions:  ${runtime.plan.editions.map((edition) => edition.id).join(', ')}`,
    `  database:  ${runtime.config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${runtime.config.dataDir}/pg`}`,
    `  API docs:  ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  health:    ${base}/health   readiness: ${base}/ready`,
  ];
  if (server.demoLogins.length > 0) {
    lines.push(`  demo sign-ins (demo mode only; sign in at ${base}/sign-in, or POST /v1/auth/token for an API token):`);
    for (const login of server.demoLogins) lines.push(`    ${login.edition.padEnd(8)} ${login.tenantName.padEnd(28)} ${login.email.padEnd(34)} ${login.password}`);
  }
  if (runtime.plan.editions.some((edition) => edition.id === 'mutualaid'))
    lines.push(
      `  mutual aid: ${base}/requests (feed), ${base}/invites, ${base}/admin/sessions; a sign-in is verified at ${base}/verify`,
      `             with the code emailed (to files under ${runtime.config.dataDir}/notify unless SMTP is set), or by \`plinth session approve\``,
    );
  lines.push('Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n'));
}
