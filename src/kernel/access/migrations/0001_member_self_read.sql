-- Beside the generic tenant_isolation policy (src/kernel/db/rls.ts): a signed-in user may list
-- their own memberships across tenants (the tenant switcher) when app.user_id names them.
CREATE POLICY "tenant_member_self_read" ON "tenant_member" FOR SELECT
  USING ("user_id" = nullif(current_setting('app.user_id', true), '')::uuid);
