-- Takes a tenant's audit append lock and reads its chain head in ONE round trip (recordAudit's
-- first entry in a transaction). Correct only because the function is VOLATILE plpgsql: each of
-- its statements takes a fresh snapshot, so the head is read after the lock is granted and sees
-- the entry the previous holder committed (READ COMMITTED). Runs as the caller: row-level
-- security still limits the read to the current tenant, and like any function it is executable by
-- PUBLIC (it grants nothing: the caller could take the lock and read the head itself). The first
-- lock key is "audt".
CREATE FUNCTION "audit_lock_chain_head"(p_tenant_id uuid)
  RETURNS TABLE (seq bigint, hash text, at text)
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1635083380, hashtext(p_tenant_id::text));
  RETURN QUERY
    SELECT head.seq, head.hash, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      FROM (SELECT 1) AS one
      LEFT JOIN (
        SELECT e.seq, e.hash FROM audit_event AS e WHERE e.tenant_id = p_tenant_id ORDER BY e.seq DESC LIMIT 1
      ) AS head ON true;
END;
$$;
