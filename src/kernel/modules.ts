import type { ModuleManifest } from './module/index.ts';
import { accessModule } from './access/manifest.ts';
import { authModule } from './auth/manifest.ts';
import { businessModule } from './business/manifest.ts';
import { auditModule } from './audit/manifest.ts';
import { identityModule } from './identity/manifest.ts';
import { jobsModule } from './jobs/manifest.ts';
import { notifyModule } from './notify/manifest.ts';
import { paymentsModule } from './payments/manifest.ts';
import { realtimeModule } from './realtime/manifest.ts';
import { tenancyModule } from './tenancy/manifest.ts';
import { webhooksModule } from './webhooks/manifest.ts';

/** The kernel's own parts, mounted for every edition, in migration order (realtime has no tables). */
export const KERNEL_MODULES: readonly ModuleManifest[] = [tenancyModule, identityModule, auditModule, jobsModule, accessModule, authModule, businessModule, notifyModule, webhooksModule, paymentsModule, realtimeModule];
