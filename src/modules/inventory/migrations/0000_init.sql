CREATE TABLE "inventory_count" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "inventory_count_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inventory_count_status_known" CHECK ("inventory_count"."status" IN ('open', 'posted', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "inventory_count_line" (
	"tenant_id" uuid NOT NULL,
	"count_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"expected" integer NOT NULL,
	"counted" integer,
	"on_hand_at_entry" integer,
	"counted_at" timestamp with time zone,
	CONSTRAINT "inventory_count_line_tenant_id_count_id_product_id_pk" PRIMARY KEY("tenant_id","count_id","product_id"),
	CONSTRAINT "inventory_count_line_counted_non_negative" CHECK ("inventory_count_line"."counted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inventory_movement" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "inventory_movement_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"location_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"reason" text,
	"reference" text,
	"actor" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_movement_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inventory_movement_kind_known" CHECK ("inventory_movement"."kind" IN ('sale', 'refund', 'receipt', 'adjustment', 'transfer_out', 'transfer_in', 'count_correction')),
	CONSTRAINT "inventory_movement_sign_matches_kind" CHECK (CASE WHEN "inventory_movement"."kind" IN ('sale', 'transfer_out') THEN "inventory_movement"."quantity" < 0
               WHEN "inventory_movement"."kind" IN ('refund', 'receipt', 'transfer_in') THEN "inventory_movement"."quantity" > 0
               ELSE "inventory_movement"."quantity" <> 0 END)
);
--> statement-breakpoint
CREATE TABLE "inventory_setting" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"allow_negative_stock" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_stock" (
	"tenant_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reorder_point" integer,
	"reorder_quantity" integer,
	"low_alerted" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_stock_tenant_id_location_id_product_id_pk" PRIMARY KEY("tenant_id","location_id","product_id"),
	CONSTRAINT "inventory_stock_reorder_point_non_negative" CHECK ("inventory_stock"."reorder_point" >= 0),
	CONSTRAINT "inventory_stock_reorder_quantity_positive" CHECK ("inventory_stock"."reorder_quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "inventory_transfer" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"from_location_id" uuid NOT NULL,
	"to_location_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "inventory_transfer_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inventory_transfer_status_known" CHECK ("inventory_transfer"."status" IN ('draft', 'in_transit', 'received', 'cancelled')),
	CONSTRAINT "inventory_transfer_distinct_locations" CHECK ("inventory_transfer"."from_location_id" <> "inventory_transfer"."to_location_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_transfer_line" (
	"tenant_id" uuid NOT NULL,
	"transfer_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"received_quantity" integer,
	CONSTRAINT "inventory_transfer_line_tenant_id_transfer_id_product_id_pk" PRIMARY KEY("tenant_id","transfer_id","product_id"),
	CONSTRAINT "inventory_transfer_line_quantity_positive" CHECK ("inventory_transfer_line"."quantity" > 0),
	CONSTRAINT "inventory_transfer_line_received_range" CHECK ("inventory_transfer_line"."received_quantity" >= 0 AND "inventory_transfer_line"."received_quantity" <= "inventory_transfer_line"."quantity")
);
--> statement-breakpoint
ALTER TABLE "inventory_count_line" ADD CONSTRAINT "inventory_count_line_tenant_id_count_id_inventory_count_tenant_id_id_fk" FOREIGN KEY ("tenant_id","count_id") REFERENCES "public"."inventory_count"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_transfer_line" ADD CONSTRAINT "inventory_transfer_line_tenant_id_transfer_id_inventory_transfer_tenant_id_id_fk" FOREIGN KEY ("tenant_id","transfer_id") REFERENCES "public"."inventory_transfer"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inventory_count_tenant_started_idx" ON "inventory_count" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "inventory_movement_item_idx" ON "inventory_movement" USING btree ("tenant_id","location_id","product_id","seq");--> statement-breakpoint
CREATE INDEX "inventory_stock_tenant_product_idx" ON "inventory_stock" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "inventory_transfer_tenant_created_idx" ON "inventory_transfer" USING btree ("tenant_id","created_at");--> statement-breakpoint
-- inventory_movement is the stock ledger: every UPDATE, DELETE or TRUNCATE fails, whoever runs it
-- (the app role and the owner alike), as for audit_event. Statement-level, so even a statement
-- matching no row fails. A wrong movement is corrected by appending an opposite one.
CREATE FUNCTION "inventory_movement_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'inventory_movement is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'P0001',
          DETAIL = 'Stock movements are the ledger on-hand is derived from; record a correcting movement instead.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "inventory_movement_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "inventory_movement"
  FOR EACH STATEMENT EXECUTE FUNCTION "inventory_movement_reject_change"();
