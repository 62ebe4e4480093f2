-- The dispatcher works across tenants, but jobs_outbox has a tenant_id column, so it is under FORCE
-- row-level security (src/kernel/db/rls.ts): neither the app role nor a non-superuser owner sees
-- a row outside a tenant-scoped transaction. Rather than giving the dispatcher a role that bypasses
-- row-level security everywhere, one narrow door: a SECURITY DEFINER function owned by a NOLOGIN
-- role that may read and update jobs_outbox only (no other table, no other policy), which claims a
-- batch FOR UPDATE SKIP LOCKED and marks it dispatched. The caller runs it in the transaction that
-- also enqueues the jobs, so a crash before commit releases the batch for the next dispatcher, and
-- concurrent dispatchers never claim the same rows. EXECUTE is revoked from PUBLIC: only the
-- owner login (a member of the role; the dispatcher's connection) may call it, not the app role.
DO $$ BEGIN
  CREATE ROLE plinth_jobs_dispatcher NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'plinth_jobs_dispatcher', 'MEMBER') THEN
    EXECUTE format('GRANT plinth_jobs_dispatcher TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plinth_jobs_dispatcher;
--> statement-breakpoint
GRANT SELECT, UPDATE ON "jobs_outbox" TO plinth_jobs_dispatcher;
--> statement-breakpoint
CREATE POLICY jobs_dispatcher ON "jobs_outbox" FOR ALL TO plinth_jobs_dispatcher USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE FUNCTION "jobs_claim_outbox"(batch_size integer)
  RETURNS TABLE (tenant_id uuid, id uuid, type text, payload jsonb, occurred_at timestamptz)
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  UPDATE public.jobs_outbox AS o SET dispatched_at = now()
   WHERE (o.tenant_id, o.id) IN (
     SELECT p.tenant_id, p.id FROM public.jobs_outbox AS p
      WHERE p.dispatched_at IS NULL
      ORDER BY p.occurred_at, p.id
      LIMIT batch_size
      FOR UPDATE SKIP LOCKED)
  RETURNING o.tenant_id, o.id, o.type, o.payload, o.occurred_at
$$;
--> statement-breakpoint
ALTER FUNCTION "jobs_claim_outbox"(integer) OWNER TO plinth_jobs_dispatcher;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "jobs_claim_outbox"(integer) FROM PUBLIC;
