CREATE TABLE "locations_location" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"address" text,
	"time_zone" text NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "locations_location_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "locations_location_code_format" CHECK ("locations_location"."code" ~ '^[A-Za-z0-9][A-Za-z0-9_-]*$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "locations_location_tenant_code_key" ON "locations_location" USING btree ("tenant_id",lower("code"));--> statement-breakpoint
CREATE INDEX "locations_location_tenant_name_idx" ON "locations_location" USING btree ("tenant_id","name","id");