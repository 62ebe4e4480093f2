CREATE TABLE "platform_announcement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"severity" text NOT NULL,
	"audience" text NOT NULL,
	"audience_editions" text[] DEFAULT '{}'::text[] NOT NULL,
	"audience_tenant_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"visible_from" timestamp with time zone NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_announcement_kind_known" CHECK ("platform_announcement"."kind" IN ('announcement', 'maintenance')),
	CONSTRAINT "platform_announcement_severity_known" CHECK ("platform_announcement"."severity" IN ('info', 'warning', 'critical')),
	CONSTRAINT "platform_announcement_audience_known" CHECK ("platform_announcement"."audience" IN ('all', 'editions', 'tenants')),
	CONSTRAINT "platform_announcement_window" CHECK ("platform_announcement"."visible_from" <= "platform_announcement"."starts_at" AND "platform_announcement"."starts_at" < "platform_announcement"."ends_at")
);
--> statement-breakpoint
CREATE TABLE "platform_plan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"interval" text NOT NULL,
	"stripe_price_id" text,
	"max_members" integer,
	"max_locations" integer,
	"max_terminals" integer,
	"modules" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_plan_key_unique" UNIQUE("key"),
	CONSTRAINT "platform_plan_price_non_negative" CHECK ("platform_plan"."price_minor" >= 0),
	CONSTRAINT "platform_plan_currency_format" CHECK ("platform_plan"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "platform_plan_interval_known" CHECK ("platform_plan"."interval" IN ('month', 'year')),
	CONSTRAINT "platform_plan_limits_non_negative" CHECK (coalesce("platform_plan"."max_members", 0) >= 0 AND coalesce("platform_plan"."max_locations", 0) >= 0 AND coalesce("platform_plan"."max_terminals", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "platform_signup" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_tenant_id" uuid NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"owner_name" text NOT NULL,
	"owner_email" text NOT NULL,
	"decision" text,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_signup_business_tenant_id_unique" UNIQUE("business_tenant_id"),
	CONSTRAINT "platform_signup_decision_known" CHECK ("platform_signup"."decision" IN ('approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "platform_tenant_plan" (
	"business_tenant_id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "platform_signup" ADD CONSTRAINT "platform_signup_business_tenant_id_tenant_id_fk" FOREIGN KEY ("business_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_signup" ADD CONSTRAINT "platform_signup_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_tenant_plan" ADD CONSTRAINT "platform_tenant_plan_business_tenant_id_tenant_id_fk" FOREIGN KEY ("business_tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_tenant_plan" ADD CONSTRAINT "platform_tenant_plan_plan_id_platform_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."platform_plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_announcement_live_idx" ON "platform_announcement" USING btree ("ends_at","visible_from");