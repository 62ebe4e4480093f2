import type { ServiceContext } from '../context.ts';
import type { RoleTemplate } from '../access/templates.ts';
import type { ModuleManifest } from './define.ts';

export interface DemoTenantSeed {
  slug: string;
  name: string;
  /** IANA zone of the demo business's clocks. */
  timeZone: string;
  /** Fills the tenant with demo data through the modules' public use cases; must be idempotent. */
  seed(ctx: ServiceContext): Promise<void>;
}

export interface EditionDefinition {
  id: string;
  title: string;
  modules: readonly ModuleManifest[];
  /** Roles every tenant of this edition starts with; one must be `owner`. */
  roleTemplates: readonly RoleTemplate[];
  demo?: DemoTenantSeed;
}

export function defineEdition<const E extends EditionDefinition>(edition: E): E {
  return edition;
}
