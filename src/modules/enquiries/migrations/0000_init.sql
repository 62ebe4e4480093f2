CREATE TABLE "enquiries_enquiry" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"postcode" text DEFAULT '' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"close_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enquiries_enquiry_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "enquiries_enquiry_kind_known" CHECK ("enquiries_enquiry"."kind" IN ('enquiry', 'access')),
	CONSTRAINT "enquiries_enquiry_status_known" CHECK ("enquiries_enquiry"."status" IN ('new', 'contacted', 'qualified', 'converted', 'closed')),
	CONSTRAINT "enquiries_enquiry_closed_has_reason" CHECK (("enquiries_enquiry"."status" = 'closed') = ("enquiries_enquiry"."close_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "enquiries_enquiry_pipeline_idx" ON "enquiries_enquiry" USING btree ("tenant_id","status","created_at");