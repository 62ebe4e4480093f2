-- Provider webhooks are processed as the platform tenant (the inbox is platform-level), but the
-- charge they settle lives in its tenant under FORCE row-level security. To learn which tenant to
-- switch to, one narrow door instead of a role that bypasses row-level security: a SECURITY
-- DEFINER function owned by a NOLOGIN role that may read four columns of payments_charge only
-- (tenant, id, provider, provider payment id; no amounts, nothing else). It answers the tenant and
-- id of the charge a provider event names, by the provider's payment id (unique per provider) or by
-- our charge id from the payment's metadata, and says which of the two matched. It changes nothing:
-- the handler then works inside that tenant's row-level security and re-checks the charge under its
-- row lock (provider payment id, amount, currency) before any effect, so metadata alone never moves
-- a charge. The app role may call it (the job handlers run as the app role).
DO $$ BEGIN
  CREATE ROLE plinth_payments_router NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'plinth_payments_router', 'MEMBER') THEN
    EXECUTE format('GRANT plinth_payments_router TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO plinth_payments_router;
--> statement-breakpoint
GRANT SELECT ("tenant_id", "id", "provider", "provider_payment_id") ON "payments_charge" TO plinth_payments_router;
--> statement-breakpoint
CREATE POLICY payments_router ON "payments_charge" FOR SELECT TO plinth_payments_router USING (true);
--> statement-breakpoint
CREATE FUNCTION "payments_route_charge"(p_provider text, p_provider_payment_id text, p_charge_id uuid)
  RETURNS TABLE (tenant_id uuid, id uuid, by_payment_id boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT c.tenant_id, c.id, coalesce(c.provider_payment_id = p_provider_payment_id, false)
    FROM public.payments_charge AS c
   WHERE c.provider = p_provider
     AND (c.provider_payment_id = p_provider_payment_id OR c.id = p_charge_id)
   ORDER BY 3 DESC
   LIMIT 2
$$;
--> statement-breakpoint
ALTER FUNCTION "payments_route_charge"(text, text, uuid) OWNER TO plinth_payments_router;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "payments_route_charge"(text, text, uuid) FROM PUBLIC;
--> statement-breakpoint
DO $$ BEGIN
  CREATE ROLE plinth_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "payments_route_charge"(text, text, uuid) TO plinth_app;
