import type { ProvisionalReceipt, SaleBody } from './cart.ts';
import type { QueuedSale } from './queue.ts';

/** This browser as a till: which register and terminal it is, its open shift, who is at it. */
export interface TillSettings {
  registerId: string;
  deviceId: string;
  deviceSecret: string;
  shiftId: string | null;
  cashierUserId: string | null;
}

export type RegisterSale = QueuedSale<SaleBody, ProvisionalReceipt>;
