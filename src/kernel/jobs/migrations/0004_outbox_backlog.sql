-- Readiness asks whether events are leaving the outbox: the number waiting and the age of the
-- oldest, across tenants, without reading any row's content. Same narrow door as the claim
-- function (owned by the dispatcher role), callable by the app role because it reveals counts only.
CREATE FUNCTION "jobs_outbox_backlog"()
  RETURNS TABLE (pending bigint, oldest_seconds double precision)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT count(*), coalesce(extract(epoch FROM now() - min(o.occurred_at)), 0)::double precision
    FROM public.jobs_outbox AS o
   WHERE o.dispatched_at IS NULL
$$;
--> statement-breakpoint
ALTER FUNCTION "jobs_outbox_backlog"() OWNER TO plinth_jobs_dispatcher;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "jobs_outbox_backlog"() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "jobs_outbox_backlog"() TO plinth_app;
