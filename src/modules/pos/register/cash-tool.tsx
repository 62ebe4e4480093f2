import { useState } from 'preact/hooks';
import { apiCall } from './api.ts';
import { formatMoney, parseMoney } from './cart.ts';
import { useAction } from './panels.tsx';
import { ToolFrame } from './tool-frame.tsx';

/** Cash paid into or taken out of the drawer during the shift, with a reason (the X and Z reports count it). */
export function CashTool({
  shiftId,
  currency,
  token,
  onNotice,
  onError,
  onClose,
}: {
  shiftId: string;
  currency: string;
  token: () => Promise<string>;
  onNotice: (message: string) => void;
  onError: (message: string) => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<'in' | 'out'>('out');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { busy, run } = useAction(onError);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const amountMinor = parseMoney(amount, currency);
      if (amountMinor === null || amountMinor <= 0) throw new Error('Enter the amount, e.g. 20.00.');
      if (!reason.trim()) throw new Error('Say why the cash moves (e.g. "change from the bank").');
      await apiCall(`/v1/pos/shifts/${shiftId}/cash-movements`, { body: { kind, amountMinor, reason: reason.trim() }, bearer: await token() });
      setAmount('');
      setReason('');
      onNotice(`${formatMoney(amountMinor, currency)} ${kind === 'in' ? 'paid into' : 'taken out of'} the drawer.`);
    });
  };
  return (
    <ToolFrame title="Cash in / out" onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset class="register-segmented">
          <legend class="visually-hidden">Direction</legend>
          <label>
            <input type="radio" name="cash-kind" value="in" checked={kind === 'in'} onChange={() => setKind('in')} /> Cash in
          </label>
          <label>
            <input type="radio" name="cash-kind" value="out" checked={kind === 'out'} onChange={() => setKind('out')} /> Cash out
          </label>
        </fieldset>
        <div class="field">
          <label for="cash-amount">Amount ({currency})</label>
          <input id="cash-amount" inputMode="decimal" required value={amount} onInput={(event) => setAmount(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="cash-reason">Reason</label>
          <input id="cash-reason" required maxLength={500} autocomplete="off" value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        </div>
        <button type="submit" class="button register-touch" disabled={busy}>
          Record cash {kind === 'in' ? 'in' : 'out'}
        </button>
      </form>
    </ToolFrame>
  );
}
