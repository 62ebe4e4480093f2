CREATE TABLE "support_attachment" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" uuid,
	"internal" boolean DEFAULT false NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_attachment_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "support_attachment_size_positive" CHECK ("support_attachment"."size_bytes" > 0),
	CONSTRAINT "support_attachment_sha256_hex" CHECK ("support_attachment"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "support_message" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"side" text NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_message_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "support_message_side_known" CHECK ("support_message"."side" IN ('customer', 'staff')),
	CONSTRAINT "support_message_internal_by_staff" CHECK (NOT "support_message"."internal" OR "support_message"."side" = 'staff')
);
--> statement-breakpoint
CREATE TABLE "support_ticket" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"category" text NOT NULL,
	"priority" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"requester_user_id" uuid NOT NULL,
	"assignee_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_due_at" timestamp with time zone NOT NULL,
	"first_responded_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"first_response_breached_at" timestamp with time zone,
	"resolution_breached_at" timestamp with time zone,
	CONSTRAINT "support_ticket_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "support_ticket_priority_known" CHECK ("support_ticket"."priority" IN ('low', 'normal', 'high', 'urgent')),
	CONSTRAINT "support_ticket_status_known" CHECK ("support_ticket"."status" IN ('new', 'open', 'waiting_on_customer', 'waiting_on_platform', 'resolved', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "support_attachment" ADD CONSTRAINT "support_attachment_tenant_id_ticket_id_support_ticket_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ticket_id") REFERENCES "public"."support_ticket"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_message" ADD CONSTRAINT "support_message_tenant_id_ticket_id_support_ticket_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ticket_id") REFERENCES "public"."support_ticket"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_attachment_ticket_idx" ON "support_attachment" USING btree ("tenant_id","ticket_id");--> statement-breakpoint
CREATE INDEX "support_message_ticket_idx" ON "support_message" USING btree ("tenant_id","ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "support_ticket_tenant_updated_idx" ON "support_ticket" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "support_ticket_updated_idx" ON "support_ticket" USING btree ("updated_at","id");