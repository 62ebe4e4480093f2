CREATE TABLE "audit_event" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"request_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_event_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq"),
	CONSTRAINT "audit_event_seq_positive" CHECK ("audit_event"."seq" > 0),
	CONSTRAINT "audit_event_action_format" CHECK ("audit_event"."action" ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
	CONSTRAINT "audit_event_hash_format" CHECK ("audit_event"."hash" ~ '^[0-9a-f]{64}$' AND "audit_event"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "security_event" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"actor" text NOT NULL,
	"ip" text,
	"request_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "security_event_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "security_event_kind_format" CHECK ("security_event"."kind" ~ '^[a-z][a-z0-9_]{0,62}$'),
	CONSTRAINT "security_event_severity_known" CHECK ("security_event"."severity" IN ('info', 'warning', 'critical'))
);
--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_event" ADD CONSTRAINT "security_event_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_event_tenant_id_key" ON "audit_event" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "audit_event_tenant_action_idx" ON "audit_event" USING btree ("tenant_id","action","seq");--> statement-breakpoint
CREATE INDEX "audit_event_tenant_target_idx" ON "audit_event" USING btree ("tenant_id","target_type","target_id","seq");--> statement-breakpoint
CREATE INDEX "audit_event_tenant_occurred_idx" ON "audit_event" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "security_event_tenant_occurred_idx" ON "security_event" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "security_event_tenant_kind_idx" ON "security_event" USING btree ("tenant_id","kind","occurred_at");