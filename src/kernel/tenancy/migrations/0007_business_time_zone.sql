-- Where the business's clocks are: its report days, quiet hours and every time its pages show.
ALTER TABLE "tenant" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;
--> statement-breakpoint
-- The guard caches the tenant with its time zone: changing the zone moves access_version on too.
CREATE OR REPLACE FUNCTION plinth_tenant_bumps_own_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.slug, NEW.edition, NEW.status, NEW.time_zone) IS DISTINCT FROM (OLD.name, OLD.slug, OLD.edition, OLD.status, OLD.time_zone) THEN
    NEW.access_version := OLD.access_version + 1;
  END IF;
  RETURN NEW;
END
$$;
