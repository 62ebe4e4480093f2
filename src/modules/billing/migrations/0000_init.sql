CREATE TABLE "billing_invoice" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"provider_invoice_id" text NOT NULL,
	"provider_subscription_id" text,
	"number" text,
	"amount_due_minor" bigint NOT NULL,
	"amount_paid_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"hosted_url" text,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_invoice_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "billing_invoice_status_known" CHECK ("billing_invoice"."status" IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
	CONSTRAINT "billing_invoice_amounts" CHECK ("billing_invoice"."amount_due_minor" >= 0 AND "billing_invoice"."amount_paid_minor" >= 0),
	CONSTRAINT "billing_invoice_currency_format" CHECK ("billing_invoice"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "billing_subscription" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_customer_id" text,
	"provider_subscription_id" text,
	"plan_key" text,
	"pending_plan_key" text,
	"status" text DEFAULT 'incomplete' NOT NULL,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"provider_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_subscription_status_known" CHECK ("billing_subscription"."status" IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete'))
);
--> statement-breakpoint
ALTER TABLE "billing_invoice" ADD CONSTRAINT "billing_invoice_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_subscription" ADD CONSTRAINT "billing_subscription_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_invoice_provider_key" ON "billing_invoice" USING btree ("provider","provider_invoice_id");--> statement-breakpoint
CREATE INDEX "billing_invoice_tenant_created_idx" ON "billing_invoice" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_subscription_customer_key" ON "billing_subscription" USING btree ("provider","provider_customer_id");