ALTER TABLE "notify_delivery" DROP CONSTRAINT "notify_delivery_status_known";--> statement-breakpoint
ALTER TABLE "notify_delivery" DROP CONSTRAINT "notify_delivery_due_when_pending";--> statement-breakpoint
DROP INDEX "notify_delivery_due_idx";--> statement-breakpoint
ALTER TABLE "notify_delivery" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "notify_settings" ADD COLUMN "sender_name" text;--> statement-breakpoint
ALTER TABLE "notify_settings" ADD COLUMN "reply_to" text;--> statement-breakpoint
ALTER TABLE "notify_settings" ADD COLUMN "sms_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "notify_delivery_claim_idx" ON "notify_delivery" USING btree ("next_attempt_at") WHERE "notify_delivery"."status" IN ('queued', 'deferred', 'sending');--> statement-breakpoint
ALTER TABLE "notify_delivery" ADD CONSTRAINT "notify_delivery_status_known" CHECK ("notify_delivery"."status" IN ('queued', 'deferred', 'sending', 'sent', 'failed', 'suppressed'));--> statement-breakpoint
ALTER TABLE "notify_delivery" ADD CONSTRAINT "notify_delivery_due_when_pending" CHECK ("notify_delivery"."status" NOT IN ('queued', 'deferred', 'sending') OR "notify_delivery"."next_attempt_at" IS NOT NULL);