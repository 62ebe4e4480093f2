import { hydrateIsland } from '../../../web/islands/client.ts';
import { REQUEST_LIVE_ISLAND, RequestLive } from './request-live.tsx';

hydrateIsland(REQUEST_LIVE_ISLAND, RequestLive);
