-- Stripe webhooks are processed as the platform tenant (the inbox is platform-level), but the
-- subscription and invoices they change live in their tenant under FORCE row-level security. To
-- learn which tenant to switch to, one narrow door (as payments_route_charge): a SECURITY DEFINER
-- function owned by a NOLOGIN role that may read three columns of billing_subscription only
-- (tenant, provider, provider customer id). It answers the tenant of a provider customer and
-- changes nothing; the handler then works inside that tenant's row-level security and re-checks
-- the subscription under its row lock before any effect.
DO $$ BEGIN
  CREATE ROLE plinth_billing_router NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'plinth_billing_router', 'MEMBER') THEN
    EXECUTE format('GRANT plinth_billing_router TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plinth_billing_router;
--> statement-breakpoint
GRANT SELECT ("tenant_id", "provider", "provider_customer_id") ON "billing_subscription" TO plinth_billing_router;
--> statement-breakpoint
CREATE POLICY billing_router ON "billing_subscription" FOR SELECT TO plinth_billing_router USING (true);
--> statement-breakpoint
CREATE FUNCTION "billing_route_customer"(p_provider text, p_customer_id text)
  RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT s.tenant_id FROM public.billing_subscription AS s
   WHERE s.provider = p_provider AND s.provider_customer_id = p_customer_id
$$;
--> statement-breakpoint
ALTER FUNCTION "billing_route_customer"(text, text) OWNER TO plinth_billing_router;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "billing_route_customer"(text, text) FROM PUBLIC;
--> statement-breakpoint
DO $$ BEGIN
  CREATE ROLE plinth_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "billing_route_customer"(text, text) TO plinth_app;
