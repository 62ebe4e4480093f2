CREATE TABLE "requests_comment" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"body" text NOT NULL,
	"sync_scope" text DEFAULT 'private' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by_user_id" uuid,
	"deleted_reason" text,
	CONSTRAINT "requests_comment_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "requests_comment_scope_known" CHECK ("requests_comment"."sync_scope" IN ('private', 'public'))
);
--> statement-breakpoint
CREATE TABLE "requests_request" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"sync_scope" text DEFAULT 'private' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by_user_id" uuid,
	CONSTRAINT "requests_request_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "requests_request_status_known" CHECK ("requests_request"."status" IN ('open', 'pending', 'completed')),
	CONSTRAINT "requests_request_scope_known" CHECK ("requests_request"."sync_scope" IN ('private', 'public'))
);
--> statement-breakpoint
ALTER TABLE "requests_comment" ADD CONSTRAINT "requests_comment_tenant_id_request_id_requests_request_tenant_id_id_fk" FOREIGN KEY ("tenant_id","request_id") REFERENCES "public"."requests_request"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "requests_comment_request_idx" ON "requests_comment" USING btree ("tenant_id","request_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_request_feed_idx" ON "requests_request" USING btree ("tenant_id","created_at","id");