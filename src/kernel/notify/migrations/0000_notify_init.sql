CREATE TABLE "notify_delivery" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"template" text NOT NULL,
	"data" jsonb NOT NULL,
	"time_zone" text,
	"quiet_hours" boolean NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"provider_message_id" text,
	"error" text,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "notify_delivery_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "notify_delivery_status_known" CHECK ("notify_delivery"."status" IN ('queued', 'deferred', 'sent', 'failed', 'suppressed')),
	CONSTRAINT "notify_delivery_channel_known" CHECK ("notify_delivery"."channel" IN ('email', 'sms')),
	CONSTRAINT "notify_delivery_due_when_pending" CHECK ("notify_delivery"."status" NOT IN ('queued', 'deferred') OR "notify_delivery"."next_attempt_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "notify_opt_out" (
	"tenant_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notify_opt_out_tenant_id_channel_recipient_pk" PRIMARY KEY("tenant_id","channel","recipient"),
	CONSTRAINT "notify_opt_out_channel_known" CHECK ("notify_opt_out"."channel" IN ('email', 'sms'))
);
--> statement-breakpoint
CREATE TABLE "notify_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"quiet_hours" text,
	"time_zone" text,
	CONSTRAINT "notify_settings_quiet_hours_format" CHECK ("notify_settings"."quiet_hours" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
ALTER TABLE "notify_delivery" ADD CONSTRAINT "notify_delivery_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_opt_out" ADD CONSTRAINT "notify_opt_out_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_settings" ADD CONSTRAINT "notify_settings_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notify_delivery_due_idx" ON "notify_delivery" USING btree ("tenant_id","next_attempt_at") WHERE "notify_delivery"."status" IN ('queued', 'deferred');--> statement-breakpoint
CREATE INDEX "notify_delivery_tenant_created_idx" ON "notify_delivery" USING btree ("tenant_id","created_at");