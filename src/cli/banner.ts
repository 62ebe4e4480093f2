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
  if (server.demoTenants.length > 0) {
    lines.push('  demo businesses (open one from the home page, or send header x-plinth-tenant: <slug> to the API):');
    for (const tenant of server.demoTenants) lines.push(`    ${tenant.edition.padEnd(8)} ${tenant.name.padEnd(28)} ${base}/  slug ${tenant.slug}`);
  }
  lines.push('Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n'));
}
