import { sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { AUDIT_HASH_FORMAT } from './hash.ts';
import type { CheckpointSigner, CheckpointVerifier } from './signing-key.ts';

/** A tenant's chain head as signed: the same fields in the audit_checkpoint table and the checkpoint log. */
export interface AuditCheckpoint {
  tenantId: string;
  seq: number;
  hash: string;
  hashFormat: number;
  /** ISO 8601 UTC with microseconds, as isoMicros reads the stored value back. */
  signedAt: string;
  keyId: string;
  /** Ed25519 over checkpointMessage(), base64url. */
  signature: string;
}

/**
 * The bytes a checkpoint's signature covers: RFC 8785 JSON of its fields under a purpose label,
 * so the signature cannot be taken for anything else this key signs.
 */
export function checkpointMessage(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  const { tenantId, seq, hash, hashFormat, signedAt, keyId } = checkpoint;
  const text = canonicalize({ purpose: 'plinth.audit.checkpoint', tenant_id: tenantId, seq, hash, hash_format: hashFormat, signed_at: signedAt, key_id: keyId }) as string;
  return Buffer.from(text, 'utf8');
}

/** `2026-12-07T17:03:34.123Z` as `2026-12-07T17:03:34.123000Z`, the form timestamps are read back in. */
const isoMicrosOf = (date: Date) => `${date.toISOString().slice(0, -1)}000Z`;

export function signCheckpoint(signer: CheckpointSigner, head: { tenantId: string; seq: number; hash: string }, now = new Date()): AuditCheckpoint {
  const unsigned = { ...head, tenantId: head.tenantId.toLowerCase(), hashFormat: AUDIT_HASH_FORMAT, signedAt: isoMicrosOf(now), keyId: signer.keyId };
  return { ...unsigned, signature: sign(null, checkpointMessage(unsigned), signer.privateKey).toString('base64url') };
}

/** Whether the checkpoint is signed by this key: its key id first, then the signature over its fields. */
export function checkpointSignatureValid(verifier: CheckpointVerifier, checkpoint: AuditCheckpoint): boolean {
  if (checkpoint.keyId !== verifier.keyId) return false;
  const { signature, ...unsigned } = checkpoint;
  return verify(null, checkpointMessage(unsigned), verifier.publicKey, Buffer.from(signature, 'base64url'));
}
