import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { Config } from '../config/index.ts';
import type { Registry } from 'prom-client';
import type { Database, Db } from '../db/index.ts';
import type { EventHandlerDefinition, EventSchemas, ScheduleDefinition } from '../jobs/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Entitlements } from './entitlement.ts';
import type { ServiceContext } from '../context.ts';

export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface PermissionDefinition {
  /** `module.resource.action`, e.g. `catalog.product.write`. */
  key: string;
  /** What the permission allows, in words: the label people choose it by on the roles pages. */
  description: string;
  /** The area it is shown under on those pages: its module's title (set by the app). */
  area?: string;
}

/**
 * A field of a resource that needs more than the route's permission: without `read` it is left
 * out of responses, and a write that sets it without `write` is refused (e.g. a product's cost).
 */
export interface FieldRule {
  /** The resource a route declares it answers with (route config `resource`), e.g. `catalog.product`. */
  resource: string;
  field: string;
  read: string;
  write: string;
}

/**
 * Where a navigation item sits in the app shell, in this order; `platform` is the console's own
 * area, shown only in the platform's tenant.
 */
export const NAV_GROUPS = ['community', 'sell', 'catalog', 'reports', 'people', 'settings', 'platform'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export interface NavigationItem {
  label: string;
  href: string;
  group: NavGroup;
  /** The permission a user needs to see the item. */
  permission: string;
  /** The module the item belongs to (set by the app): shown only to businesses entitled to it. */
  module?: string;
}

/** A notice shown at the top of every page of a tenant (announcements, maintenance windows). */
export interface PageBanner {
  id: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  body: string;
}

export interface CardLink {
  label: string;
  href: string;
}

/** One day, week or item of a card's chart; values in the unit the card names (minor units for money). */
export interface ChartPoint {
  label: string;
  value: number;
}

/**
 * What a dashboard card shows, as data (the shell renders it): a headline figure with its trend,
 * a bar chart, a list, or an empty state that says what to do next.
 */
export interface CardContent {
  headline?: { value: string; caption?: string; trend?: { direction: 'up' | 'down' | 'flat'; text: string } };
  chart?: { points: readonly ChartPoint[]; format: 'money' | 'count'; currency?: string; locale?: string; caption: string };
  items?: readonly { label: string; detail?: string; href?: string }[];
  /** Shown instead when there are no items and no headline. */
  empty?: { text: string; action?: CardLink };
  link?: CardLink;
}

/**
 * A card a module puts on a dashboard: `business` cards on every business's dashboard (of the
 * businesses entitled to the module), `platform` cards on the platform console's. `load` reads
 * through the module's own use cases in the viewer's tenant.
 */
export interface DashboardCard {
  id: string;
  title: string;
  area: 'business' | 'platform';
  /** The permission a member needs to see the card. */
  permission: string;
  /** Lower first; cards of equal order keep the modules' order. */
  order: number;
  wide?: boolean;
  load(ctx: ServiceContext): Promise<CardContent>;
}

export interface ModuleServices {
  config: Config;
  database: Database;
  /** The installation's root secret; modules derive purpose-specific keys from it. */
  rootSecret: Buffer;
  /** Every permission the mounted modules declare (for role editing). */
  permissions: ReadonlySet<string>;
  /** The same permissions with their descriptions, in manifest order (for role editing pages). */
  permissionDefinitions: readonly PermissionDefinition[];
  /** Which modules a business may use (for public pages that name their business themselves). */
  entitlements: Entitlements;
}

/** What a module's install() receives besides the module services. */
export interface InstallServices extends ModuleServices {
  logger: Logger;
  /** The app's Prometheus registry. */
  metrics: Registry;
  /** Every declared permission with the module declaring it. */
  permissionModules: ReadonlyMap<string, string>;
}

/** A part of readiness a module owns: `ok`, or a short reason it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(db: Db): Promise<'ok' | { problem: string }>;
}

export interface ModuleManifest {
  id: string;
  /** The module's area as people call it ("Point of sale"): its permissions are grouped under it. */
  title?: string;
  dependsOn?: readonly string[];
  permissions: readonly PermissionDefinition[];
  /** Absolute path of the module's drizzle-kit migrations folder, when it owns tables. */
  migrations?: string;
  navigation?: readonly NavigationItem[];
  /** The module's cards on the dashboards (see DashboardCard). */
  dashboardCards?: readonly DashboardCard[];
  /** Adds the module's own Prometheus metrics to the app's registry (collected at scrape time). */
  metrics?: (registry: Registry, db: Db) => void;
  /** Checks that /ready runs besides the database and migrations (e.g. the job dispatcher keeps up). */
  readinessChecks?: readonly ReadinessCheck[];
  /** Field-level rules over the module's resources; their permissions must be declared too. */
  fieldRules?: readonly FieldRule[];
  /**
   * Installs what every module may use (decorators, hooks, routes outside any module's scope) on the
   * root app, before any module's routes are registered; the realtime gateway is installed so.
   */
  install?: (app: AppInstance, services: InstallServices) => Promise<void>;
  /** Registers the module's API and page routes; called inside the module's own plugin scope. */
  routes?: (app: AppInstance, services: ModuleServices) => void | Promise<void>;
  /**
   * The events the module emits, with their payload schemas (its events.ts): each named
   * `<id>.…`, each type once across the modules. Emitting another does not compile.
   */
  emits?: EventSchemas;
  /** Handlers of outbox events, each idempotent by event id (see src/kernel/jobs); what they handle, a registered module must emit. */
  eventHandlers?: readonly EventHandlerDefinition[];
  /** Named cron schedules the jobs worker runs. */
  schedules?: readonly ScheduleDefinition[];
  /** Banners for the pages of this tenant, gathered by the app before each page is rendered. */
  pageBanners?: (db: Db, tenant: { id: string; edition: string; timeZone: string }) => Promise<readonly PageBanner[]>;
}

export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  if (!/^[a-z][a-z0-9]*$/.test(manifest.id)) throw new Error(`Module id "${manifest.id}" must be lower-case letters and digits.`);
  // A module's keys carry its id; `platform.<id>.…` keys are its platform-staff permissions, which
  // exist only in the platform tenant (PLATFORM_PERMISSION_PREFIX, kernel/access/templates.ts).
  const prefixes = [`${manifest.id}.`, `platform.${manifest.id}.`];
  for (const permission of manifest.permissions) {
    if (!prefixes.some((prefix) => permission.key.startsWith(prefix)))
      throw new Error(`Module ${manifest.id} declares permission ${permission.key}, which must start with "${manifest.id}." or "platform.${manifest.id}.".`);
  }
  const own = new Set(manifest.permissions.map((permission) => permission.key));
  for (const rule of manifest.fieldRules ?? []) {
    for (const permission of [rule.read, rule.write])
      if (!own.has(permission)) throw new Error(`Module ${manifest.id}: field rule ${rule.resource}.${rule.field} names undeclared permission ${permission}.`);
  }
  for (const type of Object.keys(manifest.emits ?? {}))
    if (!type.startsWith(`${manifest.id}.`)) throw new Error(`Module ${manifest.id} declares it emits ${type}, which must start with "${manifest.id}.".`);
  return manifest;
}
