CREATE TABLE "tenant_backup" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"source_tenant_id" uuid NOT NULL,
	"backup_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"file_path" text NOT NULL,
	"size_bytes" bigint,
	"sha256" text,
	"row_count" integer,
	"tables" jsonb,
	"restored_tenant_id" uuid,
	"target_slug" text,
	"target_name" text,
	"verification" jsonb,
	"error" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "tenant_backup_kind_known" CHECK ("tenant_backup"."kind" IN ('backup', 'restore')),
	CONSTRAINT "tenant_backup_status_known" CHECK ("tenant_backup"."status" IN ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "tenant_backup_restore_names_backup" CHECK (("tenant_backup"."kind" = 'restore') = ("tenant_backup"."backup_id" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "tenant_backup" ADD CONSTRAINT "tenant_backup_source_tenant_id_tenant_id_fk" FOREIGN KEY ("source_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_backup" ADD CONSTRAINT "tenant_backup_backup_id_tenant_backup_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."tenant_backup"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_backup" ADD CONSTRAINT "tenant_backup_restored_tenant_id_tenant_id_fk" FOREIGN KEY ("restored_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tenant_backup_source_idx" ON "tenant_backup" USING btree ("source_tenant_id","requested_at");