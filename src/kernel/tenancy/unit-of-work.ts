import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import type { Journal } from '../journal/index.ts';

/** What a unit of work knows of its request: everything of the ServiceContext but the pool (its statements go to `tx`). */
export type RequestScope = Omit<ServiceContext, 'db'>;

/**
 * One use case's transaction and everything that lives exactly as long as it: the request it
 * serves (tenant, actor, request id, logger, permissions — as given to withTenantTx), its journal
 * (audit entries and outbox events, written together just before commit) and its apply phase.
 *
 * The calling convention every module follows:
 *
 * - A **use case** (called by a route, a page, a job, the CLI) takes the request's ServiceContext
 *   and opens its unit of work itself with withTenantTx / withPlatformTx: it decides where its
 *   transactions begin and end (a POS sale with card tenders spans two, with the provider's
 *   call between them).
 * - A **step** (a piece of a use case: a check, a write, another module's part such as
 *   inventory's stock movements, a job handler, recordAudit, emit) takes the UnitOfWork. Only
 *   withTenantTx creates one (its journal is a class with private state: no object literal passes
 *   for it) and a UnitOfWork has no pool, so a step can neither run outside a transaction nor
 *   open one of its own: that is a type-level fact.
 *
 * A unit of work runs, in this order: the use case's body (its own reads and row locks); the
 * **apply phase**, the steps registered with onApply in the order registered (work that must take
 * its row locks after the caller's, e.g. inventory's stock rows after the POS register's); the
 * journal's one statement (the tenant's audit lock, last); commit.
 */
export type UnitOfWork<Scope extends { tenantId: string } = RequestScope> = Readonly<Scope> & UnitOfWorkState;

export interface UnitOfWorkState {
  readonly tx: Tx;
  readonly journal: Journal;
  /** Registers a step of the apply phase: run after the use case's body, before the journal is written. */
  onApply(step: () => Promise<unknown>): void;
  /** How many times `key` was counted in this unit of work before (0 the first time): per-transaction ordinals (realtime's event ids). */
  count(key: string): number;
}
