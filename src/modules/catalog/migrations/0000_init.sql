CREATE TABLE "catalog_product" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sku" text NOT NULL,
	"price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_product_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "catalog_product_price_non_negative" CHECK ("catalog_product"."price_minor" >= 0),
	CONSTRAINT "catalog_product_currency_format" CHECK ("catalog_product"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_product_tenant_sku_key" ON "catalog_product" USING btree ("tenant_id",lower("sku"));--> statement-breakpoint
CREATE INDEX "catalog_product_tenant_name_idx" ON "catalog_product" USING btree ("tenant_id","name","id");