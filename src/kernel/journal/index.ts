export type { Journal, JournalAuditEntry, JournalEvent } from './journal.ts';
