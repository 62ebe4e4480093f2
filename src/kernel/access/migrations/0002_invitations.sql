CREATE TABLE "access_invitation" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"email" text,
	"role_keys" text[] NOT NULL,
	"max_uses" integer DEFAULT 1 NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "access_invitation_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "access_invitation_uses_within_max" CHECK ("access_invitation"."uses" >= 0 AND "access_invitation"."uses" <= "access_invitation"."max_uses" AND "access_invitation"."max_uses" BETWEEN 1 AND 1000)
);
--> statement-breakpoint
ALTER TABLE "access_invitation" ADD CONSTRAINT "access_invitation_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_invitation_token_key" ON "access_invitation" USING btree ("token_hash");