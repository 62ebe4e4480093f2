export { journaled, writeAuditEntry, writeJournalSoFar, writeEvent, type JournalAuditEntry, type JournalEvent } from './journal.ts';
