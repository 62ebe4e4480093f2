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
      <div class="field">
        <label for="approval-manager">Manager</label>
        <select id="approval-manager" value={userId} onChange={(event) => setUserId(event.currentTarget.value)}>
          {staff.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.displayName}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="approval-pin">Manager PIN</label>
        <input id="approval-pin" type="password" inputMode="numeric" autocomplete="off" value={pin} onInput={(event) => setPin(event.currentTarget.value)} />
      </div>
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
