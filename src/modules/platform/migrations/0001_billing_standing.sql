CREATE TABLE "platform_tenant_billing" (
	"business_tenant_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"event_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_tenant_suspension" (
	"business_tenant_id" uuid PRIMARY KEY NOT NULL,
	"cause" text NOT NULL,
	"reason" text NOT NULL,
	"suspended_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_tenant_suspension_cause_known" CHECK ("platform_tenant_suspension"."cause" IN ('operator', 'billing'))
);
--> statement-breakpoint
ALTER TABLE "platform_tenant_billing" ADD CONSTRAINT "platform_tenant_billing_business_tenant_id_tenant_id_fk" FOREIGN KEY ("business_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_tenant_suspension" ADD CONSTRAINT "platform_tenant_suspension_business_tenant_id_tenant_id_fk" FOREIGN KEY ("business_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "platform_plan_stripe_price_key" ON "platform_plan" USING btree ("stripe_price_id");