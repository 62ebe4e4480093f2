import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { auditPageRoutes } from './audit.pages.ts';
import { auditRoutes } from './audit.routes.ts';
import { checkpointSchedule } from './checkpoint-write.ts';
import { securityRoutes } from './security.routes.ts';

/** Audit as a kernel module: the hash-chained audit log with its signed checkpoints, and the security-event log. */
export const auditModule = defineModule({
  id: 'audit',
  title: 'Audit',
  permissions: [
    { key: 'audit.log.read', description: 'See the audit log: who changed what, when' },
    { key: 'audit.log.verify', description: "Check that the audit log's hash chain is unbroken" },
    { key: 'audit.log.export', description: 'Download the audit log as CSV' },
    { key: 'audit.security.read', description: 'See security events: failed sign-ins, lockouts, denials, refund and void spikes' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [{ label: 'Audit log', href: '/audit', group: 'reports', permission: 'audit.log.read' }],
  routes: (app, services) => {
    auditRoutes(app, services.config.auditSigningKeyFile);
    auditPageRoutes(app);
    securityRoutes(app);
  },
  schedules: [checkpointSchedule],
});
