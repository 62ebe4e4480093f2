-- The platform's own tenant (see src/kernel/tenancy/platform.ts).
INSERT INTO "tenant" ("id", "slug", "name", "edition", "status")
VALUES ('00000000-0000-0000-0000-000000000000', 'platform', 'Plinth platform', 'platform', 'active')
ON CONFLICT ("id") DO NOTHING;
