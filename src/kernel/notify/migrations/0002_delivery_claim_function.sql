-- The runner delivers across tenants, but notify_delivery is under FORCE row-level security
-- (src/kernel/db/rls.ts). As for the jobs outbox (jobs/migrations/0001_outbox_claim.sql), one
-- narrow door instead of a role bypassing row-level security: a SECURITY DEFINER function owned
-- by a NOLOGIN role that may read and update notify_delivery only. It claims a batch of due rows
-- (queued or deferred and due, or `sending` whose lease ran out because a runner died) FOR UPDATE
-- SKIP LOCKED, marks them `sending` with a lease (next_attempt_at) and a fresh claim token, and
-- answers only their keys: the runner then reads, sends and records each one in its tenant's
-- transaction, where only the token's holder may settle it. Concurrent runners never claim the
-- same row. EXECUTE is revoked from PUBLIC: only the owner login (a member of the role; the
-- runner's claim connection) may call it, not the app role.
DO $$ BEGIN
  CREATE ROLE plinth_notify_runner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'plinth_notify_runner', 'MEMBER') THEN
    EXECUTE format('GRANT plinth_notify_runner TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plinth_notify_runner;
--> statement-breakpoint
GRANT SELECT, UPDATE ON "notify_delivery" TO plinth_notify_runner;
--> statement-breakpoint
CREATE POLICY notify_runner ON "notify_delivery" FOR ALL TO plinth_notify_runner USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE FUNCTION "notify_claim_due"(batch_size integer, at timestamptz, lease_ms integer)
  RETURNS TABLE (tenant_id uuid, id uuid, claim_token uuid)
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  UPDATE public.notify_delivery AS d
     SET status = 'sending',
         claim_token = gen_random_uuid(),
         next_attempt_at = at + make_interval(secs => lease_ms / 1000.0)
   WHERE (d.tenant_id, d.id) IN (
     SELECT p.tenant_id, p.id FROM public.notify_delivery AS p
      WHERE p.status IN ('queued', 'deferred', 'sending') AND p.next_attempt_at <= at
      ORDER BY p.next_attempt_at
      LIMIT batch_size
      FOR UPDATE SKIP LOCKED)
  RETURNING d.tenant_id, d.id, d.claim_token
$$;
--> statement-breakpoint
ALTER FUNCTION "notify_claim_due"(integer, timestamptz, integer) OWNER TO plinth_notify_runner;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "notify_claim_due"(integer, timestamptz, integer) FROM PUBLIC;
