CREATE TABLE "community_credential" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"credential_key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code_hash" text,
	"code_expires_at" timestamp with time zone,
	"codes_sent" integer DEFAULT 0 NOT NULL,
	"send_window_started_at" timestamp with time zone,
	"last_code_sent_at" timestamp with time zone,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by_user_id" uuid,
	"decided_via" text,
	"decided_from" text,
	CONSTRAINT "community_credential_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "community_credential_state_known" CHECK ("community_credential"."state" IN ('pending', 'trusted', 'denied'))
);
--> statement-breakpoint
CREATE TABLE "community_invite" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code_hash" text NOT NULL,
	"inviter_user_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"max_uses" integer NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"note" text,
	"suggested_username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "community_invite_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "community_invite_mode_known" CHECK ("community_invite"."mode" IN ('join', 'approval')),
	CONSTRAINT "community_invite_uses_within_max" CHECK ("community_invite"."uses" >= 0 AND "community_invite"."uses" <= "community_invite"."max_uses")
);
--> statement-breakpoint
CREATE TABLE "community_member" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"username" text NOT NULL,
	"invite_id" uuid,
	"inviter_user_id" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_member_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id"),
	CONSTRAINT "community_member_username_format" CHECK ("community_member"."username" ~ '^[a-z0-9_]{3,32}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "community_credential_key" ON "community_credential" USING btree ("tenant_id","credential_key");--> statement-breakpoint
CREATE INDEX "community_credential_state_idx" ON "community_credential" USING btree ("tenant_id","state","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "community_invite_code_key" ON "community_invite" USING btree ("code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "community_member_username_key" ON "community_member" USING btree ("tenant_id","username");