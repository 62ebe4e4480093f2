-- Platform staff answer tickets of every tenant, but support_ticket has a tenant_id column, so it
-- is under FORCE row-level security (src/kernel/db/rls.ts) and the app role sees a ticket only in
-- a transaction scoped to its tenant. Rather than a role that bypasses row-level security, narrow
-- doors (the jobs outbox pattern, src/kernel/jobs/migrations/0001_outbox_claim.sql): SECURITY
-- DEFINER functions owned by a NOLOGIN role that may read support_ticket only (no messages, no
-- attachments, no other table), answering ticket summaries, a ticket's tenant, or tickets whose
-- SLA breach is not marked yet. Each refuses to answer unless the calling transaction is scoped
-- to the platform tenant, which only a request of platform staff (or the SLA schedule) opens; the
-- module checks the staff permission before that. Details and replies then run in the ticket's
-- own tenant transaction, under the ordinary policy.
DO $$ BEGIN
  CREATE ROLE plinth_support_reader NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'plinth_support_reader', 'MEMBER') THEN
    EXECUTE format('GRANT plinth_support_reader TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plinth_support_reader;
--> statement-breakpoint
GRANT SELECT ON "support_ticket" TO plinth_support_reader;
--> statement-breakpoint
CREATE POLICY support_reader ON "support_ticket" FOR SELECT TO plinth_support_reader USING (true);
--> statement-breakpoint
-- The uuid is PLATFORM_TENANT_ID (src/kernel/tenancy/platform.ts), fixed since the tenancy migrations.
CREATE FUNCTION "support_assert_platform_scope"() RETURNS void
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
  IF nullif(current_setting('app.tenant_id', true), '') IS DISTINCT FROM '00000000-0000-0000-0000-000000000000' THEN
    RAISE EXCEPTION 'support staff functions answer only in a platform-tenant transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION "support_staff_inbox"(p_status text, p_priority text, p_breached boolean, p_assignee text, p_limit integer, p_offset integer)
  RETURNS TABLE (
    tenant_id uuid, id uuid, subject text, category text, priority text, status text,
    requester_user_id uuid, assignee_user_id uuid, created_at timestamptz, updated_at timestamptz,
    first_response_due_at timestamptz, first_responded_at timestamptz, resolution_due_at timestamptz,
    resolved_at timestamptz, closed_at timestamptz, total bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.support_assert_platform_scope();
  RETURN QUERY
  SELECT t.tenant_id, t.id, t.subject, t.category, t.priority, t.status,
         t.requester_user_id, t.assignee_user_id, t.created_at, t.updated_at,
         t.first_response_due_at, t.first_responded_at, t.resolution_due_at,
         t.resolved_at, t.closed_at, count(*) OVER ()
    FROM public.support_ticket AS t
   WHERE (p_status IS NULL OR t.status = p_status)
     AND (p_priority IS NULL OR t.priority = p_priority)
     AND (p_assignee IS NULL
          OR (p_assignee = 'none' AND t.assignee_user_id IS NULL)
          OR (p_assignee <> 'none' AND t.assignee_user_id::text = p_assignee))
     AND (p_breached IS NULL OR p_breached = (
          coalesce(t.first_responded_at, now()) > t.first_response_due_at
          OR coalesce(t.resolved_at, now()) > t.resolution_due_at))
   ORDER BY t.updated_at DESC, t.id
   LIMIT p_limit OFFSET p_offset;
END $$;
--> statement-breakpoint
CREATE FUNCTION "support_ticket_tenant"(p_ticket uuid) RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.support_assert_platform_scope();
  RETURN (SELECT t.tenant_id FROM public.support_ticket AS t WHERE t.id = p_ticket LIMIT 1);
END $$;
--> statement-breakpoint
CREATE FUNCTION "support_sla_unmarked_breaches"(p_now timestamptz, p_limit integer)
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.support_assert_platform_scope();
  RETURN QUERY
  SELECT t.tenant_id, t.id FROM public.support_ticket AS t
   WHERE (t.first_response_breached_at IS NULL AND coalesce(t.first_responded_at, p_now) > t.first_response_due_at)
      OR (t.resolution_breached_at IS NULL AND coalesce(t.resolved_at, p_now) > t.resolution_due_at)
   ORDER BY t.tenant_id, t.id
   LIMIT p_limit;
END $$;
--> statement-breakpoint
ALTER FUNCTION "support_staff_inbox"(text, text, boolean, text, integer, integer) OWNER TO plinth_support_reader;
--> statement-breakpoint
ALTER FUNCTION "support_ticket_tenant"(uuid) OWNER TO plinth_support_reader;
--> statement-breakpoint
ALTER FUNCTION "support_sla_unmarked_breaches"(timestamptz, integer) OWNER TO plinth_support_reader;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "support_staff_inbox"(text, text, boolean, text, integer, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "support_ticket_tenant"(uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "support_sla_unmarked_breaches"(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "support_staff_inbox"(text, text, boolean, text, integer, integer) TO plinth_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "support_ticket_tenant"(uuid) TO plinth_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "support_sla_unmarked_breaches"(timestamptz, integer) TO plinth_app;
