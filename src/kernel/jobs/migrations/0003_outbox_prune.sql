-- Dispatched outbox rows are only history once their jobs exist; the jobs module's hourly schedule
-- (jobs.prune-outbox) deletes those older than a week through this function, owned like the claim
-- function by plinth_jobs_dispatcher (row-level security would hide every row from the app role).
-- It deletes dispatched rows only, so the app role may run it.
GRANT DELETE ON "jobs_outbox" TO plinth_jobs_dispatcher;
--> statement-breakpoint
CREATE FUNCTION "jobs_prune_outbox"(older_than interval)
  RETURNS integer
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  WITH pruned AS (
    DELETE FROM public.jobs_outbox
     WHERE dispatched_at IS NOT NULL AND dispatched_at < now() - older_than
    RETURNING 1)
  SELECT count(*)::integer FROM pruned
$$;
--> statement-breakpoint
ALTER FUNCTION "jobs_prune_outbox"(interval) OWNER TO plinth_jobs_dispatcher;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "jobs_prune_outbox"(interval) FROM PUBLIC;
--> statement-breakpoint
DO $$ BEGIN
  CREATE ROLE plinth_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "jobs_prune_outbox"(interval) TO plinth_app;
