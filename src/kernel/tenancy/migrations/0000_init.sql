CREATE TABLE "tenant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"edition" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_slug_unique" UNIQUE("slug"),
	CONSTRAINT "tenant_status_known" CHECK ("tenant"."status" IN ('pending', 'active', 'suspended', 'closed')),
	CONSTRAINT "tenant_slug_format" CHECK ("tenant"."slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);
