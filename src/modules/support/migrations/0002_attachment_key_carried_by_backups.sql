-- A backup carries this column as it is (the kernel's backup engine reads the mark from the
-- column's comment): the key names stored bytes, and a business restored from a backup must keep
-- reading the files the source uploaded instead of keys rewritten with its new ids.
COMMENT ON COLUMN "support_attachment"."storage_key" IS 'Where the bytes live in attachment storage. plinth:backup-verbatim';
