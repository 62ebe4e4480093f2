-- Wakes dispatchers as soon as events are committed, in any process: a statement-level trigger
-- NOTIFYs once per INSERT, PostgreSQL delivers it only at commit (never for a rolled-back
-- transaction) and folds identical notifications of one transaction into one. Dispatchers still
-- poll on an interval, so a lost notification only delays, never loses, an event.
CREATE FUNCTION "jobs_outbox_notify"() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM pg_notify('plinth_jobs_outbox', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_outbox_notify" AFTER INSERT ON "jobs_outbox" FOR EACH STATEMENT EXECUTE FUNCTION "jobs_outbox_notify"();
