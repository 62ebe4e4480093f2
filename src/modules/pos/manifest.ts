import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { posEvents } from './events.ts';
import { createFakePayments, type PaymentsProvider } from '../../kernel/payments/index.ts';
import type { Config } from '../../kernel/config/index.ts';
import { posPageRoutes } from './pos.pages.ts';
import { posApiRoutes } from './pos.routes.ts';
import { registerPageRoutes } from './register/index.ts';
import { registersPageRoutes } from './registers.pages.ts';
import { POS_CARDS } from './dashboard.cards.ts';

export interface PosModuleOptions {
  /**
   * The payments port card tenders go through. By default the FAKE provider in demo mode and
   * tests (it moves no money), and none otherwise: card tenders are then refused until an
   * installation wires a real provider here.
   */
  payments?: (config: Config) => PaymentsProvider | undefined;
}

const defaultPayments = (config: Config): PaymentsProvider | undefined => (config.demo || config.env === 'test' ? createFakePayments() : undefined);

export function createPosModule(options: PosModuleOptions = {}) {
  return defineModule({
    id: 'pos',
    title: 'Point of sale',
    emits: posEvents,
    dependsOn: ['catalog', 'locations', 'inventory'],
    permissions: [
      { key: 'pos.register.read', description: 'See registers (tills)' },
      { key: 'pos.register.manage', description: 'Create, change, bind to terminals and archive registers' },
      { key: 'pos.shift.operate', description: 'Open and close shifts, pay cash in and out, see X and Z reports of a register' },
      { key: 'pos.shift.report', description: 'See expected cash and variance of blind-close shifts' },
      { key: 'pos.shift.close_unsynced', description: 'Close a shift while its register still holds unsent sales' },
      { key: 'pos.sale.create', description: 'Ring up sales at a register' },
      { key: 'pos.sale.read', description: 'See sales and print receipts' },
      { key: 'pos.sale.late', description: 'Accept an offline sale into a shift that has closed since' },
      { key: 'pos.discount.apply', description: "Give discounts up to the register's limit" },
      { key: 'pos.discount.unlimited', description: "Give discounts above the register's limit" },
      { key: 'pos.price.override', description: 'Sell at another price than the catalog price' },
      { key: 'pos.quantity.negative', description: 'Take items back on a sale (negative quantity)' },
      { key: 'pos.ticket.void', description: 'Void ticket lines and whole sales (with a reason)' },
      { key: 'pos.ticket.refund', description: 'Refund sales (with a reason)' },
      { key: 'pos.voucher.manage', description: 'Issue vouchers' },
    ],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    dashboardCards: POS_CARDS,
    navigation: [
      { label: 'Register', href: '/pos/register', group: 'sell', permission: 'pos.sale.create' },
      { label: 'Registers', href: '/pos/registers', group: 'sell', permission: 'pos.register.read' },
    ],
    routes: (app, services) => {
      posApiRoutes(app, { payments: (options.payments ?? defaultPayments)(services.config) }, services.config.auditSigningKeyFile);
      posPageRoutes(app);
      registersPageRoutes(app);
      registerPageRoutes(app);
    },
  });
}

export const posModule = createPosModule();
