import type { EventSchemas } from '../jobs/types.ts';
import type { ModuleManifest } from './define.ts';
import type { EditionDefinition } from './edition.ts';

export class ModuleGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleGraphError';
  }
}

/** Picks the editions named in config; unknown names are a start-up error that names the variable. */
export function selectEditions(all: readonly EditionDefinition[], wanted: readonly string[] | undefined): EditionDefinition[] {
  if (!wanted) return [...all];
  const byId = new Map(all.map((edition) => [edition.id, edition]));
  const unknown = wanted.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw new ModuleGraphError(
      `PLINTH_EDITIONS names unknown edition(s) ${unknown.join(', ')}; known: ${[...byId.keys()].join(', ')}.`,
    );
  return wanted.map((id) => byId.get(id) as EditionDefinition);
}

/**
 * The modules the editions use, each once, dependencies first. A missing dependency or a cycle
 * fails at start-up, the way Fastify refuses a plugin whose dependency is not registered.
 */
export function resolveModules(editions: readonly EditionDefinition[]): ModuleManifest[] {
  const byId = new Map<string, ModuleManifest>();
  for (const edition of editions) {
    for (const module of edition.modules) {
      const existing = byId.get(module.id);
      if (existing && existing !== module) throw new ModuleGraphError(`Two different modules share the id "${module.id}".`);
      byId.set(module.id, module);
    }
  }
  const ordered: ModuleManifest[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (module: ModuleManifest, path: string[]) => {
    const mark = state.get(module.id);
    if (mark === 'done') return;
    if (mark === 'visiting') throw new ModuleGraphError(`Module dependency cycle: ${[...path, module.id].join(' → ')}.`);
    state.set(module.id, 'visiting');
    for (const dependencyId of module.dependsOn ?? []) {
      const dependency = byId.get(dependencyId);
      if (!dependency)
        throw new ModuleGraphError(`Module ${module.id} depends on ${dependencyId}, which no selected edition includes.`);
      visit(dependency, [...path, module.id]);
    }
    state.set(module.id, 'done');
    ordered.push(module);
  };
  for (const module of byId.values()) visit(module, []);
  return ordered;
}

export function declaredPermissions(modules: readonly ModuleManifest[]): Set<string> {
  const keys = new Set<string>();
  for (const module of modules) {
    for (const permission of module.permissions) {
      if (keys.has(permission.key)) throw new ModuleGraphError(`Permission ${permission.key} is declared twice.`);
      keys.add(permission.key);
    }
  }
  return keys;
}

/**
 * Every event the modules declare they emit, with its payload schema. Fails at start-up, as a
 * missing dependency does, when two modules declare one type or a module handles an event no
 * registered module emits.
 */
export function declaredEvents(modules: readonly ModuleManifest[]): EventSchemas {
  const emitter = new Map<string, string>();
  const schemas: Record<string, EventSchemas[string]> = {};
  for (const module of modules) {
    for (const [type, schema] of Object.entries(module.emits ?? {})) {
      const other = emitter.get(type);
      if (other) throw new ModuleGraphError(`Event ${type} is declared by both ${other} and ${module.id}.`);
      emitter.set(type, module.id);
      schemas[type] = schema;
    }
  }
  for (const module of modules)
    for (const handler of module.eventHandlers ?? [])
      for (const type of handler.events)
        if (!emitter.has(type)) throw new ModuleGraphError(`Module ${module.id} handles ${type} (handler ${handler.name}), which no registered module emits.`);
  return schemas;
}
