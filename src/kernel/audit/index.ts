/** Audit's public surface: the only file modules, editions and the CLI import. */
export { recordAudit, type AuditInput, type RecordedAudit } from './audit-record.ts';
export { verifyAuditChain } from './audit-verify.ts';
export type { ChainBreak, ChainVerification, CheckpointProblem, CheckpointVerification } from './domain/audit-event.ts';
export { checkpointAfterCommit, checkpointAuditChain, checkpointMovedChains, type CheckpointDeps, type CheckpointOutcome } from './checkpoint-write.ts';
export { loadCheckpointTrust, verifyAuditCheckpoints, type CheckpointTrust } from './checkpoint-verify.ts';
export { checkpointLogOf } from './checkpoint-log.ts';
export { recordSecurityEvent, type SecurityEventInput, type SecurityEventKind } from './security-record.ts';
export type { SecuritySeverity } from './security-event.table.ts';
export { detectRateSpike, type RateSpike, type RateSpikeCheck } from './security-spike.ts';
