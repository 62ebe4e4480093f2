export { journaled, writeAuditEntry, writeEvent, type JournalAuditEntry, type JournalEvent } from './journal.ts';
