CREATE TABLE "payments_charge" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"provider_payment_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_charge_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "payments_charge_amounts" CHECK ("payments_charge"."amount_minor" > 0 AND "payments_charge"."refunded_minor" >= 0 AND "payments_charge"."refunded_minor" <= "payments_charge"."amount_minor")
);
--> statement-breakpoint
CREATE TABLE "payments_refund" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"charge_id" uuid NOT NULL,
	"operation_key" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider_refund_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_refund_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "payments_refund_amount_positive" CHECK ("payments_refund"."amount_minor" > 0),
	CONSTRAINT "payments_refund_status_known" CHECK ("payments_refund"."status" IN ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "payments_charge" ADD CONSTRAINT "payments_charge_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments_refund" ADD CONSTRAINT "payments_refund_tenant_id_charge_id_payments_charge_tenant_id_id_fk" FOREIGN KEY ("tenant_id","charge_id") REFERENCES "public"."payments_charge"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_charge_provider_payment_key" ON "payments_charge" USING btree ("provider","provider_payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_refund_operation_key" ON "payments_refund" USING btree ("tenant_id","charge_id","operation_key");