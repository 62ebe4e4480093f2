CREATE TABLE "audit_checkpoint" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"hash_format" smallint NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "audit_checkpoint_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq"),
	CONSTRAINT "audit_checkpoint_seq_positive" CHECK ("audit_checkpoint"."seq" > 0),
	CONSTRAINT "audit_checkpoint_hash_format" CHECK ("audit_checkpoint"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "audit_checkpoint" ADD CONSTRAINT "audit_checkpoint_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Signed checkpoints are evidence like the entries they cover: no UPDATE, DELETE or TRUNCATE by the
-- app role or the owner. The append-only trigger function of 0001 now names the table it guards and
-- serves both. A superuser can still disable the trigger, which is why every checkpoint is also
-- appended to the checkpoint log outside the database and verify compares the two.
CREATE OR REPLACE FUNCTION "audit_event_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'P0001',
          DETAIL = 'Audit entries and their signed checkpoints are evidence; record a correction as a new entry instead.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoint_append_only"
  BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_change"();
