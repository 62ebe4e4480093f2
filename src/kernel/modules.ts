import type { ModuleManifest } from './module/index.ts';
import { accessModule } from './access/manifest.ts';
import { authModule } from './auth/manifest.ts';
import { auditModule } from './audit/manifest.ts';
import { identityModule } from './identity/manifest.ts';
import { tenancyModule } from './tenancy/manifest.ts';

/** The kernel's own parts, mounted for every edition, in migration order. */
export const KERNEL_MODULES: readonly ModuleManifest[] = [tenancyModule, identityModule, auditModule, accessModule, authModule];
