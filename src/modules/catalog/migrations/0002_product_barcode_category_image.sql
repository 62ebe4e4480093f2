CREATE TABLE "catalog_product_image" (
	"tenant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"content" "bytea" NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_product_image_tenant_id_product_id_pk" PRIMARY KEY("tenant_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "catalog_product" ADD COLUMN "barcode" text;--> statement-breakpoint
ALTER TABLE "catalog_product" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "catalog_product" ADD COLUMN "image_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "catalog_product_image" ADD CONSTRAINT "catalog_product_image_tenant_id_product_id_catalog_product_tenant_id_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."catalog_product"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_product_tenant_barcode_key" ON "catalog_product" USING btree ("tenant_id","barcode") WHERE "catalog_product"."barcode" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "catalog_product_tenant_category_idx" ON "catalog_product" USING btree ("tenant_id","category");