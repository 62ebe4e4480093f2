-- The business's time zone is now the tenant's own setting (tenancy 0007): a zone a business chose
-- for its recipients becomes its time zone, then the notify-only column goes. notify_settings is
-- under FORCE row-level security, so the copy reads it one tenant at a time under that tenant's scope.
DO $$
DECLARE business record;
BEGIN
  FOR business IN SELECT id FROM tenant LOOP
    PERFORM set_config('app.tenant_id', business.id::text, true);
    UPDATE tenant SET time_zone = settings.time_zone
      FROM notify_settings settings
      WHERE tenant.id = business.id AND settings.tenant_id = business.id AND settings.time_zone IS NOT NULL;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
--> statement-breakpoint
ALTER TABLE "notify_settings" DROP COLUMN "time_zone";
