CREATE TABLE "tenant_limit" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"max" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_limit_tenant_id_key_pk" PRIMARY KEY("tenant_id","key"),
	CONSTRAINT "tenant_limit_max_non_negative" CHECK ("tenant_limit"."max" >= 0)
);
--> statement-breakpoint
ALTER TABLE "tenant_limit" ADD CONSTRAINT "tenant_limit_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;