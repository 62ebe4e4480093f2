import { Layout, When, type Chrome } from '../../web/index.ts';
import { CHANNELS, DELIVERY_STATUSES } from './delivery.table.ts';
import type { DeliveryView } from './delivery-view.ts';

interface Props {
  deliveries: readonly DeliveryView[];
  filter: { status?: string | undefined; channel?: string | undefined };
  /** The query of the next (older) page, when there is one. */
  olderQuery: string | undefined;
  chrome: Chrome;
}

/** The tenant's delivery log, newest first: a plain GET form filters it (no script needed). */
export function DeliveriesPage({ deliveries, filter, olderQuery }: Props) {
  return (
    <Layout title="Delivery log">
      <h1>Delivery log</h1>
      <form method="get" action="/notify/deliveries" class="toolbar">
        <label>
          Status{' '}
          <select name="status">
            <option value="">any</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status} selected={filter.status === status}>
                {status}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Channel{' '}
          <select name="channel">
            <option value="">any</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel} selected={filter.channel === channel}>
                {channel}
              </option>
            ))}
          </select>
        </label>{' '}
        <button class="button" type="submit">
          Show
        </button>
      </form>
      {deliveries.length === 0 ? (
        <p class="muted">No deliveries.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Queued</th>
              <th>Channel</th>
              <th>Recipient</th>
              <th>Template</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <When at={delivery.createdAt} />
                </td>
                <td>{delivery.channel}</td>
                <td>{delivery.recipient}</td>
                <td>{delivery.template}</td>
                <td>{delivery.status}</td>
                <td>{delivery.attempts}</td>
                <td>{delivery.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {olderQuery && (
        <p>
          <a href={`/notify/deliveries?${olderQuery}`}>Older →</a>
        </p>
      )}
    </Layout>
  );
}
