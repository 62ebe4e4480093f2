ALTER TABLE "payments_charge" ALTER COLUMN "provider_payment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payments_charge" ADD COLUMN "status" text DEFAULT 'succeeded' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments_charge" ADD COLUMN "operation_key" text;--> statement-breakpoint
ALTER TABLE "payments_charge" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "payments_charge" ADD COLUMN "failure_message" text;--> statement-breakpoint
ALTER TABLE "payments_charge" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_charge_operation_key" ON "payments_charge" USING btree ("tenant_id","operation_key");--> statement-breakpoint
CREATE INDEX "payments_charge_id_idx" ON "payments_charge" USING btree ("id");--> statement-breakpoint
ALTER TABLE "payments_charge" ADD CONSTRAINT "payments_charge_status_known" CHECK ("payments_charge"."status" IN ('pending', 'succeeded', 'failed', 'canceled'));--> statement-breakpoint
ALTER TABLE "payments_charge" ADD CONSTRAINT "payments_charge_succeeded_has_payment" CHECK ("payments_charge"."status" <> 'succeeded' OR "payments_charge"."provider_payment_id" IS NOT NULL);