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
  if (runtime.config.mode === 'single') lines.push(...singleModeLines(server, runtime, base));
  else if (runtime.config.demo) lines.push('  on-premises single-business install: `npm run start:onprem` (port 3001, its own data folder ./data-onprem, setup wizard at /setup)');
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

/** Single mode: the setup code while the install waits for its first run, and what LAN serving needs. */
function singleModeLines(server: RunningServer, runtime: Runtime, base: string): string[] {
  const lines = [`  mode:      single business (${runtime.config.lan ? `serving the local network on ${runtime.config.host}` : 'this machine only'})`];
  if (server.setupCode) lines.push(`  first run: open ${base}/setup and enter the setup code ${server.setupCode} (valid until this process stops; or run \`plinth setup\`)`);
  if (runtime.config.lan) {
    const port = new URL(server.url).port || String(runtime.config.port);
    lines.push(
      `  firewall:  let other machines reach TCP port ${port}, e.g. \`sudo ufw allow ${port}/tcp\` or \`sudo firewall-cmd --add-port=${port}/tcp --permanent && sudo firewall-cmd --reload\`;`,
      `             on Windows: New-NetFirewallRule -DisplayName Plinth -Direction Inbound -Protocol TCP -LocalPort ${port} -Action Allow`,
    );
  }
  return lines;
}
