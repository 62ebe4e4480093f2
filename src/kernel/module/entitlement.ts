/** What the rule reads of modules and editions (the manifests and edition definitions fit). */
interface Named {
  id: string;
}
interface ModuleList extends Named {
  modules: readonly Named[];
}

/**
 * The modules a business may use, from its edition and the modules switched off for it. Used by
 * the guard (a route of any other module answers like a missing route) and, through the request,
 * by the navigation (their entries are left out).
 */
export interface Entitlements {
  /** What a business of `edition` may use, with `switchedOff` switched off for it. */
  of(edition: string, switchedOff: ReadonlySet<string>): ReadonlySet<string>;
  /** Every mounted module. */
  all: ReadonlySet<string>;
}

/**
 * A module an edition lists belongs to the businesses of the editions that list it; a module no
 * edition lists (the kernel's parts, the platform console, billing) to every business. Of those,
 * the ones switched off for the business are left out. A plan's modules arrive as such switches:
 * assigning a plan switches off the edition's modules it excludes, and the console cannot switch
 * them back on while the plan excludes them. Built from the editions the app serves, so changing
 * an edition's module list changes what its businesses may use; a business of an edition this
 * build does not serve gets only the modules of every business.
 */
export function entitlementsOf(modules: readonly Named[], editions: readonly ModuleList[]): Entitlements {
  const listed = new Set(editions.flatMap((edition) => edition.modules.map((module) => module.id)));
  const everyBusiness = modules.map((module) => module.id).filter((id) => !listed.has(id));
  const byEdition = new Map(editions.map((edition) => [edition.id, [...everyBusiness, ...edition.modules.map((module) => module.id)]]));
  return {
    of: (edition, switchedOff) => new Set((byEdition.get(edition) ?? everyBusiness).filter((id) => !switchedOff.has(id))),
    all: new Set(modules.map((module) => module.id)),
  };
}
