import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiCall, ApiError } from './api.ts';
import type { RegisterBootstrap, StaffMember } from './bootstrap.ts';
import { formatMoney, parseMoney } from './cart.ts';
import { ManagerPinFields } from './manager-approval.tsx';
import type { TillSettings } from './till.ts';
import type { ShiftReportView } from './shift-report.ts';

/** The register's screens around selling: set up the till, sign a cashier in, open and close a shift. */

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs an async action, showing its failure; `busy` keeps a double click from doing it twice. */
export function useAction(onError: (message: string) => void) {
  const [busy, setBusy] = useState(false);
  // A ref, not the state: two clicks in one frame both see the state of the same render.
  const running = useRef(false);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      // A new attempt: the last failure no longer applies.
      onError('');
      try {
        await action();
      } catch (failure) {
        onError(failure instanceof ApiError && failure.network ? `${failure.message} This needs the server; try again when online.` : messageOf(failure));
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [onError],
  );
  return { busy, run };
}

export function TillSetup({ bootstrap, onDone, onError }: { bootstrap: RegisterBootstrap; onDone: (settings: TillSettings) => Promise<void>; onError: (message: string) => void }) {
  const [registerId, setRegisterId] = useState(bootstrap.registers[0]?.id ?? '');
  const [deviceId, setDeviceId] = useState('');
  const [deviceSecret, setDeviceSecret] = useState('');
  const { busy, run } = useAction(onError);
  const chosen = bootstrap.registers.find((candidate) => candidate.id === registerId);
  if (bootstrap.registers.length === 0)
    return (
      <p>
        No register is set up for this business yet. A manager creates one under <a href="/pos/registers">Registers</a> first.
      </p>
    );

  const registerThisBrowser = () =>
    run(async () => {
      if (!chosen) throw new Error('Choose a register.');
      // These two calls act as the signed-in manager (browser session + CSRF token), not as a cashier.
      const { data: terminal } = await apiCall<{ data: { id: string; deviceSecret: string } }>('/v1/terminals', {
        body: { name: `${chosen.name} (${chosen.code}) browser till` },
        csrfToken: bootstrap.csrfToken,
      });
      await apiCall(`/v1/pos/registers/${chosen.id}`, { method: 'PATCH', body: { deviceId: terminal.id }, csrfToken: bootstrap.csrfToken });
      await onDone({ registerId: chosen.id, deviceId: terminal.id, deviceSecret: terminal.deviceSecret, shiftId: chosen.openShiftId, cashierUserId: null });
    });

  const useExistingTerminal = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      if (!chosen) throw new Error('Choose a register.');
      if (!deviceId.trim() || !deviceSecret.trim()) throw new Error('Enter the terminal id and its secret.');
      await onDone({ registerId: chosen.id, deviceId: deviceId.trim(), deviceSecret: deviceSecret.trim(), shiftId: chosen.openShiftId, cashierUserId: null });
    });
  };

  return (
    <div class="register-panel">
      <h2>Set up this till</h2>
      <div class="field">
        <label for="setup-register">Register</label>
        <select id="setup-register" value={registerId} onChange={(event) => setRegisterId(event.currentTarget.value)}>
          {bootstrap.registers.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.code}){candidate.deviceId ? ' — bound to a terminal' : ''}
            </option>
          ))}
        </select>
      </div>
      <p>
        <button class="button register-touch" type="button" disabled={busy} onClick={() => void registerThisBrowser()}>
          Register this browser as the till's terminal
        </button>
      </p>
      <p class="muted">
        Needs a manager signed in here (terminals and registers); <a href="/pos/registers">Registers</a> pairs a browser too. Or enter a terminal a manager registered already:
      </p>
      <form onSubmit={useExistingTerminal}>
        <div class="field">
          <label for="setup-device-id">Terminal id</label>
          <input id="setup-device-id" autocomplete="off" value={deviceId} onInput={(event) => setDeviceId(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="setup-device-secret">Terminal secret</label>
          <input id="setup-device-secret" type="password" autocomplete="off" value={deviceSecret} onInput={(event) => setDeviceSecret(event.currentTarget.value)} />
        </div>
        <button class="button secondary register-touch" type="submit" disabled={busy}>
          Use this terminal
        </button>
      </form>
    </div>
  );
}

export function CashierSignIn({
  staff,
  onSignIn,
  onForgetTill,
  onError,
}: {
  staff: StaffMember[];
  onSignIn: (userId: string, pin: string) => Promise<void>;
  onForgetTill: () => Promise<void>;
  onError: (message: string) => void;
}) {
  const [userId, setUserId] = useState(staff[0]?.userId ?? '');
  const [pin, setPin] = useState('');
  const { busy, run } = useAction(onError);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      try {
        await onSignIn(userId, pin);
      } finally {
        setPin('');
      }
    });
  };
  return (
    <div class="register-panel">
      <h2>Cashier sign-in</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="signin-cashier">Cashier</label>
          <select id="signin-cashier" value={userId} onChange={(event) => setUserId(event.currentTarget.value)}>
            {staff.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.displayName}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="signin-pin">PIN</label>
          <input id="signin-pin" type="password" inputMode="numeric" autocomplete="off" pattern="[0-9]{4,8}" required value={pin} onInput={(event) => setPin(event.currentTarget.value)} />
        </div>
        <button class="button register-touch" type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        <button class="button secondary" type="button" onClick={() => void onForgetTill()}>
          Set up this browser as another register
        </button>
      </p>
    </div>
  );
}

export function OpenShift({
  currency,
  onOpen,
  onSwitchCashier,
  onError,
}: {
  currency: string;
  onOpen: (openingFloatMinor: number, blindClose: boolean) => Promise<void>;
  onSwitchCashier: () => Promise<void>;
  onError: (message: string) => void;
}) {
  const [float, setFloat] = useState('0');
  const [blind, setBlind] = useState(false);
  const { busy, run } = useAction(onError);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const minor = parseMoney(float, currency);
      if (minor === null) throw new Error('Enter the opening float as an amount, e.g. 100.00.');
      await onOpen(minor, blind);
    });
  };
  return (
    <div class="register-panel">
      <h2>Open a shift</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="shift-float">Opening float ({currency})</label>
          <input id="shift-float" inputMode="decimal" value={float} onInput={(event) => setFloat(event.currentTarget.value)} />
        </div>
        <div class="field checkbox">
          <label>
            <input type="checkbox" checked={blind} onChange={(event) => setBlind(event.currentTarget.checked)} /> Blind close (the cashier counts without seeing the expected cash)
          </label>
        </div>
        <button class="button register-touch" type="submit" disabled={busy}>
          Open shift
        </button>
      </form>
      <p>
        <button class="button secondary" type="button" onClick={() => void onSwitchCashier()}>
          Switch cashier
        </button>
      </p>
    </div>
  );
}

export function CloseShift({
  shiftId,
  currency,
  unsynced,
  staff,
  token,
  onClosed,
  onCancel,
  onError,
}: {
  shiftId: string;
  currency: string;
  unsynced: number;
  staff: StaffMember[];
  token: () => Promise<string>;
  onClosed: (summary: string) => Promise<void>;
  onCancel: () => void;
  onError: (message: string) => void;
}) {
  const [report, setReport] = useState<ShiftReportView | null>(null);
  const [counted, setCounted] = useState('');
  const [managerId, setManagerId] = useState(staff[0]?.userId ?? '');
  const [managerPin, setManagerPin] = useState('');
  const { busy, run } = useAction(onError);
  const money = (minor: number) => formatMoney(minor, currency);

  // The X report says whether this is a blind close: then the expected cash is not shown (the server leaves it out).
  useEffect(() => {
    void run(async () => {
      const { data } = await apiCall<{ data: ShiftReportView }>(`/v1/pos/shifts/${shiftId}/report`, { bearer: await token() });
      setReport(data);
    });
    // Once per shift shown.
  }, [shiftId]);

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const countedCashMinor = parseMoney(counted, currency);
      if (countedCashMinor === null) throw new Error('Enter the counted cash as an amount, e.g. 250.00.');
      if (unsynced > 0 && !/^\d{4,8}$/.test(managerPin)) throw new Error('Unsynced sales remain: a manager must approve with their PIN.');
      const override = unsynced > 0 ? { userId: managerId, pin: managerPin } : undefined;
      const { data } = await apiCall<{ data: ShiftReportView }>(`/v1/pos/shifts/${shiftId}/close`, {
        body: { countedCashMinor, unsyncedCount: unsynced, ...(override ? { override } : {}) },
        bearer: await token(),
      });
      setManagerPin('');
      const variance = data.cash.varianceMinor;
      await onClosed(
        `Shift closed (Z report): ${data.sales.count} sales, ${money(data.sales.totalMinor)}; counted ${money(countedCashMinor)}${variance === null ? '' : `, variance ${money(variance)}`}.`,
      );
    });
  };

  return (
    <div class="register-panel">
      <h2>Close shift</h2>
      {report && (
        <p>
          {report.sales.count} sales, {money(report.sales.totalMinor)}.{' '}
          {report.shift.blindClose || report.cash.expectedMinor === undefined ? 'Blind close: count the drawer without the expected amount.' : `Expected cash in the drawer: ${money(report.cash.expectedMinor)}.`}
        </p>
      )}
      <form onSubmit={submit}>
        <div class="field">
          <label for="close-counted">Counted cash ({currency})</label>
          <input id="close-counted" inputMode="decimal" required value={counted} onInput={(event) => setCounted(event.currentTarget.value)} />
        </div>
        {unsynced > 0 && (
          <fieldset class="register-override">
            <legend>Manager override: {unsynced} unsynced sale{unsynced === 1 ? '' : 's'} on this till</legend>
            <p class="muted">These sales are not on the server yet, so the shift totals are incomplete. A manager approves closing anyway.</p>
            <ManagerPinFields idPrefix="close" staff={staff} userId={managerId} onUserId={setManagerId} pin={managerPin} onPin={setManagerPin} />
          </fieldset>
        )}
        <div class="register-actions">
          <button class="button register-touch" type="submit" disabled={busy}>
            Close shift
          </button>
          <button class="button secondary register-touch" type="button" onClick={onCancel}>
            Back to selling
          </button>
        </div>
      </form>
    </div>
  );
}
