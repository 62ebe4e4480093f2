CREATE TABLE "setup_document_sequence" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"register_code" text NOT NULL,
	"next_number" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "setup_document_sequence_tenant_id_kind_register_code_pk" PRIMARY KEY("tenant_id","kind","register_code"),
	CONSTRAINT "setup_document_sequence_kind_known" CHECK ("setup_document_sequence"."kind" IN ('receipt', 'invoice')),
	CONSTRAINT "setup_document_sequence_next_positive" CHECK ("setup_document_sequence"."next_number" > 0)
);
--> statement-breakpoint
CREATE TABLE "setup_business_defaults" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"currency" text NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"tax_rates" jsonb NOT NULL,
	"default_tax_code" text NOT NULL,
	"receipt_prefix" text NOT NULL,
	"invoice_prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "setup_business_defaults_receipt_prefix_format" CHECK ("setup_business_defaults"."receipt_prefix" ~ '^[A-Z0-9-]{1,8}$'),
	CONSTRAINT "setup_business_defaults_invoice_prefix_format" CHECK ("setup_business_defaults"."invoice_prefix" ~ '^[A-Z0-9-]{1,8}$')
);
