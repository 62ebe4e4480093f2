import { useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import type { StaffMember } from './bootstrap.ts';

/** A manager's PIN for what the signed-in cashier may not do alone (the server says when). */
export interface Override {
  userId: string;
  pin: string;
}

/** Did the server refuse because the cashier lacks a restricted permission a manager can grant? */
export const needsManager = (failure: unknown) => failure instanceof ApiError && failure.code === 'AUTHZ' && failure.reason === 'PERMISSION_REQUIRED';

/** Which manager approves, and their PIN: the fields of every approval on the till. */
export function ManagerPinFields(props: { idPrefix: string; staff: StaffMember[]; userId: string; onUserId: (userId: string) => void; pin: string; onPin: (pin: string) => void }) {
  const { idPrefix, staff } = props;
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-manager`}>Manager</label>
        <select id={`${idPrefix}-manager`} value={props.userId} onChange={(event) => props.onUserId(event.currentTarget.value)}>
          {staff.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.displayName}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-manager-pin`}>Manager PIN</label>
        <input id={`${idPrefix}-manager-pin`} type="password" inputMode="numeric" autocomplete="off" value={props.pin} onInput={(event) => props.onPin(event.currentTarget.value)} />
      </div>
    </>
  );
}

/** The manager picker and PIN; `override` is what the request sends (null until a PIN is typed). */
export function useManagerApproval(staff: StaffMember[]) {
  const [needed, setNeeded] = useState(false);
  const [userId, setUserId] = useState(staff[0]?.userId ?? '');
  const [pin, setPin] = useState('');
  const override: Override | null = needed && /^\d{4,8}$/.test(pin) ? { userId, pin } : null;
  const fields = needed ? (
    <fieldset class="register-override">
      <legend>Manager approval</legend>
      <p class="muted">Your role cannot do this alone: a manager approves it with their PIN.</p>
      <ManagerPinFields idPrefix="approval" staff={staff} userId={userId} onUserId={setUserId} pin={pin} onPin={setPin} />
    </fieldset>
  ) : null;
  return {
    fields,
    override,
    /** After a refusal: show the fields when a manager can help; false when the refusal is something else. */
    askFor: (failure: unknown) => {
      if (!needsManager(failure)) return false;
      setNeeded(true);
      setPin('');
      return true;
    },
  };
}
