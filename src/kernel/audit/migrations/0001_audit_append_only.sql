-- audit_event is append-only evidence: every UPDATE, DELETE or TRUNCATE fails, whoever runs it
-- (the app role and the owner alike). Statement-level, so even a statement matching no row fails.
-- Only a superuser who disables the trigger can change rows, and verify then reports the break.
CREATE FUNCTION "audit_event_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'P0001',
          DETAIL = 'Audit entries are hash-chained evidence; record a correction as a new entry instead.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_event_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_change"();
