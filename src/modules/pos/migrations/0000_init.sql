CREATE TABLE "pos_cash_movement" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"shift_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_cash_movement_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "pos_cash_movement_positive" CHECK ("pos_cash_movement"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "pos_refund" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"tenders" jsonb NOT NULL,
	"card_status" text DEFAULT 'none' NOT NULL,
	"fingerprint" text NOT NULL,
	"actor" text NOT NULL,
	"approved_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_refund_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "pos_register" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"device_id" uuid,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"currency" text NOT NULL,
	"prices_include_tax" boolean DEFAULT true NOT NULL,
	"tax_rates" jsonb NOT NULL,
	"default_tax_code" text NOT NULL,
	"max_discount_bp" integer DEFAULT 2000 NOT NULL,
	"next_sale_number" integer DEFAULT 1 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_register_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "pos_register_max_discount_range" CHECK ("pos_register"."max_discount_bp" BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "pos_sale" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"sale_number" text NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"currency" text NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"subtotal_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"tip_minor" bigint DEFAULT 0 NOT NULL,
	"change_minor" bigint DEFAULT 0 NOT NULL,
	"ticket_discount" jsonb,
	"fingerprint" text NOT NULL,
	"sold_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"cashier_user_id" uuid,
	"actor" text NOT NULL,
	"approved_by" uuid,
	"voided_at" timestamp with time zone,
	"print_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "pos_sale_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "pos_sale_total_non_negative" CHECK ("pos_sale"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pos_sale_line" (
	"tenant_id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"catalog_price_minor" bigint NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"price_overridden" boolean DEFAULT false NOT NULL,
	"modifiers" jsonb NOT NULL,
	"discount" jsonb,
	"gross_minor" bigint NOT NULL,
	"line_discount_minor" bigint NOT NULL,
	"ticket_discount_minor" bigint NOT NULL,
	"tax_code" text NOT NULL,
	"tax_rate_bp" integer NOT NULL,
	"net_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"void_reason" text,
	"refunded_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "pos_sale_line_tenant_id_sale_id_line_no_pk" PRIMARY KEY("tenant_id","sale_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "pos_shift" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"register_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opening_float_minor" bigint NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"blind_close" boolean DEFAULT false NOT NULL,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"counted_cash_minor" bigint,
	"expected_cash_minor" bigint,
	"variance_minor" bigint,
	"unsynced_count" integer DEFAULT 0 NOT NULL,
	"close_approved_by" uuid,
	CONSTRAINT "pos_shift_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "pos_shift_float_non_negative" CHECK ("pos_shift"."opening_float_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pos_tender" (
	"tenant_id" uuid NOT NULL,
	"sale_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"tendered_minor" bigint NOT NULL,
	"charge_id" uuid,
	"voucher_id" uuid,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "pos_tender_tenant_id_sale_id_seq_pk" PRIMARY KEY("tenant_id","sale_id","seq"),
	CONSTRAINT "pos_tender_refund_within_amount" CHECK ("pos_tender"."refunded_minor" >= 0 AND "pos_tender"."refunded_minor" <= "pos_tender"."amount_minor")
);
--> statement-breakpoint
CREATE TABLE "pos_voucher" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"currency" text NOT NULL,
	"initial_minor" bigint NOT NULL,
	"balance_minor" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pos_voucher_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "pos_voucher_balance_range" CHECK ("pos_voucher"."balance_minor" >= 0 AND "pos_voucher"."balance_minor" <= "pos_voucher"."initial_minor")
);
--> statement-breakpoint
CREATE INDEX "pos_cash_movement_shift_idx" ON "pos_cash_movement" USING btree ("tenant_id","shift_id");--> statement-breakpoint
CREATE INDEX "pos_refund_sale_idx" ON "pos_refund" USING btree ("tenant_id","sale_id");--> statement-breakpoint
CREATE INDEX "pos_refund_shift_idx" ON "pos_refund" USING btree ("tenant_id","shift_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_register_tenant_code_key" ON "pos_register" USING btree ("tenant_id",lower("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "pos_register_tenant_device_key" ON "pos_register" USING btree ("tenant_id","device_id") WHERE "pos_register"."device_id" IS NOT NULL AND "pos_register"."archived_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "pos_sale_register_number_key" ON "pos_sale" USING btree ("tenant_id","register_id","number");--> statement-breakpoint
CREATE INDEX "pos_sale_shift_idx" ON "pos_sale" USING btree ("tenant_id","shift_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_shift_one_open_per_register" ON "pos_shift" USING btree ("tenant_id","register_id") WHERE "pos_shift"."status" = 'open';--> statement-breakpoint
CREATE INDEX "pos_shift_register_idx" ON "pos_shift" USING btree ("tenant_id","register_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pos_tender_charge_key" ON "pos_tender" USING btree ("tenant_id","charge_id") WHERE "pos_tender"."charge_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "pos_voucher_tenant_code_key" ON "pos_voucher" USING btree ("tenant_id",upper("code"));