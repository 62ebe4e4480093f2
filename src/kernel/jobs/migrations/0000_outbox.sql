CREATE TABLE "jobs_outbox" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	CONSTRAINT "jobs_outbox_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "jobs_outbox_type_format" CHECK ("jobs_outbox"."type" ~ '^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*){2,}$')
);
--> statement-breakpoint
CREATE TABLE "jobs_processed_event" (
	"tenant_id" uuid NOT NULL,
	"handler" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_processed_event_tenant_id_handler_event_id_pk" PRIMARY KEY("tenant_id","handler","event_id")
);
--> statement-breakpoint
ALTER TABLE "jobs_outbox" ADD CONSTRAINT "jobs_outbox_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs_processed_event" ADD CONSTRAINT "jobs_processed_event_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_outbox_pending_idx" ON "jobs_outbox" USING btree ("occurred_at") WHERE "jobs_outbox"."dispatched_at" IS NULL;