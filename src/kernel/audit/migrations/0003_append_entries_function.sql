-- Appends entries to a tenant's audit chain in ONE round trip, in the order given: a use case's
-- journal (kernel/journal) writes all its entries this way just before commit, and recordAudit
-- outside a journal writes one. Takes the append lock and reads the head through
-- audit_lock_chain_head (0002; VOLATILE plpgsql, so each statement here sees what the previous
-- lock holder committed), then gives each entry the next seq, its own clock_timestamp() and the
-- previous entry's hash, and computes its hash as auditHash does in Node from the canonical JSON
-- pieces the caller cut around those three values (hash.ts canonicalPieces):
--   sha256(prev_hash || before_time || occurred_at || before_previous || prev_hash || before_seq || seq || rest)
-- Runs as the caller, so row-level security limits both the head read and the inserts to the
-- transaction's tenant. An empty array takes no lock.
CREATE FUNCTION "audit_append_entries"(p_tenant_id uuid, p_entries jsonb)
  RETURNS TABLE (seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
#variable_conflict use_column
DECLARE
  v_entry jsonb;
  v_seq bigint;
  v_prev text;
  v_at text;
  v_hash text;
BEGIN
  IF jsonb_array_length(p_entries) = 0 THEN
    RETURN;
  END IF;
  SELECT coalesce(head.seq, 0), coalesce(head.hash, repeat('0', 64)) INTO v_seq, v_prev FROM audit_lock_chain_head(p_tenant_id) AS head;
  FOR v_entry IN SELECT entry.value FROM jsonb_array_elements(p_entries) AS entry LOOP
    v_seq := v_seq + 1;
    v_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    v_hash := encode(sha256(convert_to(
      v_prev || (v_entry->>'beforeTime') || v_at || (v_entry->>'beforePrevious') || v_prev || (v_entry->>'beforeSeq') || v_seq::text || (v_entry->>'rest'),
      'UTF8')), 'hex');
    INSERT INTO audit_event (tenant_id, seq, id, occurred_at, actor, action, target_type, target_id, request_id, data, prev_hash, hash)
    VALUES (p_tenant_id, v_seq, (v_entry->>'id')::uuid, v_at::timestamptz, v_entry->>'actor', v_entry->>'action', v_entry->>'targetType',
            v_entry->>'targetId', v_entry->>'requestId', v_entry->'data', v_prev, v_hash);
    seq := v_seq;
    hash := v_hash;
    RETURN NEXT;
    v_prev := v_hash;
  END LOOP;
END;
$$;
