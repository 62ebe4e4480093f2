CREATE TABLE "reports_export" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"report" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"include_cost" boolean DEFAULT false NOT NULL,
	"requested_by" text NOT NULL,
	"csv" text,
	"row_count" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "reports_export_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "reports_export_status_known" CHECK ("reports_export"."status" IN ('queued', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "reports_sales_fact" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"location_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"product_name" text NOT NULL,
	"product_sku" text NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"gross_minor" bigint DEFAULT 0 NOT NULL,
	"discount_minor" bigint DEFAULT 0 NOT NULL,
	"tax_minor" bigint DEFAULT 0 NOT NULL,
	"net_minor" bigint DEFAULT 0 NOT NULL,
	"total_minor" bigint DEFAULT 0 NOT NULL,
	"refund_quantity" integer DEFAULT 0 NOT NULL,
	"refund_minor" bigint DEFAULT 0 NOT NULL,
	"refund_tax_minor" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_sales_fact_tenant_id_day_location_id_product_id_currency_pk" PRIMARY KEY("tenant_id","day","location_id","product_id","currency"),
	CONSTRAINT "reports_sales_fact_currency_format" CHECK ("reports_sales_fact"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE INDEX "reports_export_tenant_created_idx" ON "reports_export" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "reports_sales_fact_tenant_location_day_idx" ON "reports_sales_fact" USING btree ("tenant_id","location_id","day");