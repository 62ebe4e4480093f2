import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CsrfField } from '../../../web/layout.tsx';
import { apiCall, sendSale, type TokenPair } from './api.ts';
import type { ProductSummary, RegisterBootstrap, RegisterSummary, StaffMember } from './bootstrap.ts';
import { formatMoney, type ProvisionalReceipt, type SaleBody } from './cart.ts';
import { CashierSignIn, CloseShift, messageOf, OpenShift, TillSetup } from './panels.tsx';
import { pairingOf } from './pairing.ts';
import { SaleQueue } from './queue.ts';
import { CashTool } from './cash-tool.tsx';
import { SalesTool } from './sales-tool.tsx';
import { Selling } from './selling.tsx';
import { XReportTool } from './x-report-tool.tsx';
import { accessTokenFor, readCashierSession, saveCashierSession } from './sessions.ts';
import { openRegisterDb, readSetting, writeSetting } from './store.ts';
import type { RegisterSale, TillSettings } from './till.ts';

/**
 * The POS register screen. The server renders its first state ("starting"); in the browser it
 * reads this till's identity, cashier and queue from IndexedDB and takes over. Every sale is
 * stored locally first and sent by the queue, so selling goes on while the network is down.
 */

type Phase = 'loading' | 'setup' | 'signin' | 'open-shift' | 'selling' | 'close-shift';
type Tool = 'sales' | 'cash' | 'x-report';

const TOOL_LABELS: Record<Tool, string> = { sales: 'Sales & refunds', cash: 'Cash in/out', 'x-report': 'X report' };

interface CatalogCache {
  savedAt: string;
  products: ProductSummary[];
}

const TILL_KEY = 'till';
const CATALOG_KEY = 'catalog';
const SYNC_EVERY_MS = 10_000;
const KEEP_SYNCED_MS = 24 * 3600_000;
const CHANNEL = 'plinth-register';

export function RegisterIsland(props: RegisterBootstrap) {
  const [phase, setPhase] = useState<Phase>('loading');
  const [db, setDb] = useState<IDBDatabase | null>(null);
  const [till, setTill] = useState<TillSettings | null>(null);
  const [cashier, setCashier] = useState<StaffMember | null>(null);
  const [products, setProducts] = useState<ProductSummary[]>(props.products);
  const [online, setOnline] = useState(true);
  const [unsynced, setUnsynced] = useState<number | null>(null);
  const [sales, setSales] = useState<RegisterSale[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [lastSaleId, setLastSaleId] = useState<string | null>(null);
  const [tool, setTool] = useState<Tool | null>(null);
  const queueRef = useRef<SaleQueue<SaleBody, ProvisionalReceipt> | null>(null);
  const channelRef = useRef<BroadcastChannel | null>(null);

  const register = useMemo(() => props.registers.find((candidate) => candidate.id === till?.registerId) ?? null, [props.registers, till]);

  const refreshQueue = useCallback(async () => {
    const queue = queueRef.current;
    if (!queue) return;
    const all = await queue.list();
    setSales(all);
    setUnsynced(all.filter((sale) => sale.status !== 'synced').length);
  }, []);

  const syncNow = useCallback(async () => {
    const queue = queueRef.current;
    if (!queue || !navigator.onLine) return;
    try {
      await queue.syncNow();
    } catch (failure) {
      // The queue itself failed (storage full, database closed): the sales stay; say so.
      setError(`Sending sales failed: ${messageOf(failure)}`);
    } finally {
      await refreshQueue();
    }
  }, [refreshQueue]);

  // Start-up: open the database, restore this till, its cashier and the newest catalog copy.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const opened = await openRegisterDb();
      const locks = navigator.locks as LockManager | undefined;
      const queue = new SaleQueue<SaleBody, ProvisionalReceipt>({
        db: opened,
        locks,
        send: async (sale) => sendSale(sale.body, await accessTokenFor(opened, sale.cashierUserId, locks)),
        onChange: () => channelRef.current?.postMessage('queue-changed'),
      });
      queueRef.current = queue;
      await queue.pruneSynced(KEEP_SYNCED_MS);
      const cached = await readSetting<CatalogCache>(opened, CATALOG_KEY);
      if (cached && cached.savedAt > props.generatedAt) setProducts(cached.products);
      else await writeSetting(opened, CATALOG_KEY, { savedAt: props.generatedAt, products: props.products } satisfies CatalogCache);
      let storedTill = (await readSetting<TillSettings>(opened, TILL_KEY)) ?? null;
      const pairing = pairingOf(window.location.hash);
      if (pairing) {
        // The terminal's secret leaves the address bar (and this history entry) before anything else.
        history.replaceState(history.state, '', window.location.pathname + window.location.search);
        const paired = props.registers.find((candidate) => candidate.id === pairing.registerId);
        // Sales still queued here were rung up at the old terminal and must be sent from it first.
        const holdsUnsynced = (await queue.list()).some((sale) => sale.status !== 'synced');
        if (!paired) setError('The paired register is not available here.');
        else if (storedTill && holdsUnsynced) setError('This till still holds unsynced sales; send them, then pair this browser again.');
        else {
          storedTill = { ...pairing, shiftId: paired.openShiftId, cashierUserId: null };
          await writeSetting(opened, TILL_KEY, storedTill);
        }
      }
      const storedCashier = storedTill?.cashierUserId ? await readCashierSession(opened, storedTill.cashierUserId) : undefined;
      if (cancelled) return;
      setDb(opened);
      setTill(storedTill);
      setCashier(storedCashier ? { userId: storedCashier.userId, displayName: storedCashier.displayName } : null);
      setOnline(navigator.onLine);
      setPhase(!storedTill ? 'setup' : !storedCashier ? 'signin' : !storedTill.shiftId ? 'open-shift' : 'selling');
      await refreshQueue();
      void syncNow();
    })().catch((failure: unknown) => setError(`The register could not start: ${messageOf(failure)}`));
    return () => {
      cancelled = true;
    };
    // Runs once: the bootstrap props never change after the page loaded.
  }, []);

  // Sending: when the browser comes back online at once, otherwise every few seconds (the queue's back-off decides what is due).
  useEffect(() => {
    const goOnline = () => {
      setOnline(true);
      void queueRef.current?.retryAllNow().then(syncNow);
    };
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    const timer = setInterval(() => void syncNow(), SYNC_EVERY_MS);
    // Other tabs of this register announce queue changes, so every tab shows the same count.
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    channelRef.current = channel;
    if (channel) channel.onmessage = () => void refreshQueue();
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      clearInterval(timer);
      channel?.close();
    };
  }, [syncNow, refreshQueue]);

  const saveTill = useCallback(
    async (next: TillSettings | null) => {
      if (!db) return;
      if (next) await writeSetting(db, TILL_KEY, next);
      setTill(next);
    },
    [db],
  );

  const tokenOfCashier = useCallback(async () => {
    if (!db || !cashier) throw new Error('No cashier is signed in.');
    const token = await accessTokenFor(db, cashier.userId, navigator.locks as LockManager | undefined);
    if (!token) {
      setPhase('signin');
      throw new Error('Your sign-in at this till has ended; sign in with your PIN again.');
    }
    return token;
  }, [db, cashier]);

  const show = (message: string, kind: 'error' | 'notice') => {
    setError(kind === 'error' ? message : '');
    setNotice(kind === 'notice' ? message : '');
  };
  const showError = (message: string) => show(message, 'error');
  const showNotice = (message: string) => show(message, 'notice');

  const switchCashier = async (current: TillSettings) => {
    await saveTill({ ...current, cashierUserId: null });
    setCashier(null);
    setTool(null);
    show('Signed out. Next cashier: sign in with your PIN.', 'notice');
    setPhase('signin');
  };

  const toolView =
    phase !== 'selling' || !tool || !register || !till?.shiftId ? null : tool === 'sales' ? (
      <SalesTool register={register} sales={sales} staff={props.staff} token={tokenOfCashier} onNotice={showNotice} onError={showError} onClose={() => setTool(null)} />
    ) : tool === 'cash' ? (
      <CashTool shiftId={till.shiftId} currency={register.currency} token={tokenOfCashier} onNotice={showNotice} onError={showError} onClose={() => setTool(null)} />
    ) : (
      <XReportTool shiftId={till.shiftId} currency={register.currency} token={tokenOfCashier} onError={showError} onClose={() => setTool(null)} />
    );

  return (
    <section class="register" aria-labelledby="register-title">
      <header class="register-bar">
        <div class="register-who">
          <h1 id="register-title">{register ? `${register.name} (${register.code})` : 'Register'}</h1>
          <div class="register-status">
          {cashier && <p class="register-cashier">
                <span class="visually-hidden">Cashier: </span>
                {cashier.displayName}
              </p>}
          <p class={online ? 'register-online' : 'register-online offline'}>{online ? 'Online' : 'Offline — sales are kept on this till and sent later'}</p>
          <p id="unsynced-count" class={unsynced ? 'register-unsynced pending' : 'register-unsynced'} role="status" aria-live="polite" aria-atomic="true">
            Unsynced: <strong>{unsynced === null ? '…' : unsynced}</strong>
          </p>
          </div>
        </div>
        <nav class="register-tools" aria-label="Till">
          {phase === 'selling' &&
            (Object.keys(TOOL_LABELS) as Tool[]).map((key) => (
              <button key={key} type="button" class="button secondary" aria-pressed={tool === key} onClick={() => setTool(tool === key ? null : key)}>
                {TOOL_LABELS[key]}
              </button>
            ))}
          {phase === 'selling' && till && (
            <>
              <button type="button" class="button secondary" onClick={() => void switchCashier(till)}>
                Switch cashier
              </button>
              <button
                type="button"
                class="button secondary"
                onClick={() => {
                  setTool(null);
                  setPhase('close-shift');
                }}
              >
                Close shift
              </button>
            </>
          )}
          <a class="button secondary" href="/">
            Back office
          </a>
        </nav>
        <CsrfField token={props.csrfToken} />
      </header>
      <div class="register-messages">
        <div role="alert" aria-atomic="true" class={error ? 'alert error' : undefined}>
          {error}
        </div>
        <div role="status" aria-atomic="true" class={notice ? 'alert success' : undefined}>
          {notice}
        </div>
      </div>
      {phase === 'loading' && <p class="muted">Starting the register…</p>}
      {phase === 'setup' && db && (
        <TillSetup
          bootstrap={props}
          onDone={async (settings) => {
            await saveTill(settings);
            show('This browser is now the till of the chosen register.', 'notice');
            setPhase('signin');
          }}
          onError={(message) => show(message, 'error')}
        />
      )}
      {phase === 'signin' && db && till && (
        <CashierSignIn
          staff={props.staff}
          onSignIn={async (userId, pin) => {
            const { data } = await apiCall<{ data: { tokens: TokenPair; staff: StaffMember; rotationDue: boolean } }>('/v1/auth/terminal/pin', {
              body: { tenant: props.tenantSlug, deviceId: till.deviceId, deviceSecret: till.deviceSecret, userId, pin },
            });
            await saveCashierSession(db, { userId: data.staff.userId, displayName: data.staff.displayName, tokens: data.tokens });
            const shiftId = till.shiftId ?? (await currentShiftOf(till.registerId, data.tokens.accessToken, register));
            await saveTill({ ...till, cashierUserId: data.staff.userId, shiftId });
            setCashier(data.staff);
            show(`${data.staff.displayName} is signed in.${data.rotationDue ? ' Your PIN is due for a change.' : ''}`, 'notice');
            setPhase(shiftId ? 'selling' : 'open-shift');
            void syncNow();
          }}
          onForgetTill={async () => {
            if ((unsynced ?? 0) > 0) return show('This till still holds unsynced sales; send them before setting it up as another register.', 'error');
            if (db) await writeSetting(db, TILL_KEY, null);
            setTill(null);
            setPhase('setup');
          }}
          onError={(message) => show(message, 'error')}
        />
      )}
      {phase === 'open-shift' && till && register && (
        <OpenShift
          currency={register.currency}
          onOpen={async (openingFloatMinor, blindClose) => {
            const token = await tokenOfCashier();
            const { data } = await apiCall<{ data: { shift: { id: string } } }>(`/v1/pos/registers/${register.id}/shifts`, { body: { openingFloatMinor, blindClose }, bearer: token });
            await saveTill({ ...till, shiftId: data.shift.id });
            show('Shift opened.', 'notice');
            setPhase('selling');
          }}
          onSwitchCashier={async () => {
            await saveTill({ ...till, cashierUserId: null });
            setCashier(null);
            setPhase('signin');
          }}
          onError={(message) => show(message, 'error')}
        />
      )}
      {phase === 'selling' && till?.shiftId && register && cashier && (
        <Selling
          register={register}
          shiftId={till.shiftId}
          cashier={cashier}
          products={products}
          sales={sales}
          lastSaleId={lastSaleId}
          onComplete={async (body, receipt) => {
            const queue = queueRef.current;
            if (!queue) throw new Error('The register is still starting.');
            await queue.enqueue({ id: body.id, body, cashierUserId: cashier.userId, receipt });
            setLastSaleId(body.id);
            await refreshQueue();
            show(receipt.changeMinor > 0 ? `Sale complete. Change: ${formatMoney(receipt.changeMinor, receipt.currency)}` : 'Sale complete.', 'notice');
            void syncNow();
          }}
          onRequeue={async (id) => {
            await queueRef.current?.requeue(id);
            await syncNow();
          }}
          tool={toolView}
          voucherBalance={async (code) => (await apiCall<{ data: { balanceMinor: number; currency: string } }>(`/v1/pos/vouchers/${encodeURIComponent(code)}`, { bearer: await tokenOfCashier() })).data}
          onError={(message) => show(message, 'error')}
        />
      )}
      {phase === 'close-shift' && till?.shiftId && register && (
        <CloseShift
          shiftId={till.shiftId}
          currency={register.currency}
          unsynced={unsynced ?? 0}
          staff={props.staff}
          token={tokenOfCashier}
          onClosed={async (summary) => {
            await saveTill({ ...till, shiftId: null });
            show(summary, 'notice');
            setPhase('open-shift');
          }}
          onCancel={() => setPhase('selling')}
          onError={(message) => show(message, 'error')}
        />
      )}
    </section>
  );
}

/** The register's open shift as the server knows it now (falls back to what the page said when offline). */
async function currentShiftOf(registerId: string, token: string, known: RegisterSummary | null): Promise<string | null> {
  try {
    const { data } = await apiCall<{ data: { openShiftId: string | null } }>(`/v1/pos/registers/${registerId}`, { bearer: token });
    return data.openShiftId;
  } catch {
    return known?.openShiftId ?? null;
  }
}

