-- Anything that decides access in a tenant moves tenant.access_version on, in the same
-- transaction, so the guard's cached permissions of that tenant stop matching at once.
CREATE OR REPLACE FUNCTION plinth_bump_tenant_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed_tenant uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    changed_tenant := OLD.tenant_id;
  ELSE
    changed_tenant := NEW.tenant_id;
  END IF;
  UPDATE tenant SET access_version = access_version + 1 WHERE id = changed_tenant;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tenant_module_toggle_bumps_access_version
  AFTER INSERT OR UPDATE OR DELETE ON tenant_module_toggle
  FOR EACH ROW EXECUTE FUNCTION plinth_bump_tenant_access_version();
--> statement-breakpoint
-- What the guard caches of a tenant (name, slug, edition, status) moves the version on too.
CREATE OR REPLACE FUNCTION plinth_tenant_bumps_own_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.slug, NEW.edition, NEW.status) IS DISTINCT FROM (OLD.name, OLD.slug, OLD.edition, OLD.status) THEN
    NEW.access_version := OLD.access_version + 1;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tenant_bumps_own_access_version
  BEFORE UPDATE ON tenant
  FOR EACH ROW EXECUTE FUNCTION plinth_tenant_bumps_own_access_version();
