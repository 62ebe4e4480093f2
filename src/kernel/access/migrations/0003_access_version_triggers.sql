-- Members, their roles and roles' permissions decide access: changing any moves the tenant's
-- access_version on (function from the tenancy migrations).
CREATE TRIGGER tenant_member_bumps_access_version
  AFTER INSERT OR UPDATE OR DELETE ON tenant_member
  FOR EACH ROW EXECUTE FUNCTION plinth_bump_tenant_access_version();
--> statement-breakpoint
CREATE TRIGGER tenant_member_role_bumps_access_version
  AFTER INSERT OR UPDATE OR DELETE ON tenant_member_role
  FOR EACH ROW EXECUTE FUNCTION plinth_bump_tenant_access_version();
--> statement-breakpoint
CREATE TRIGGER access_role_bumps_access_version
  AFTER INSERT OR UPDATE OR DELETE ON access_role
  FOR EACH ROW EXECUTE FUNCTION plinth_bump_tenant_access_version();
