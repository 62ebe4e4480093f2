import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { ReceiptPage } from './pages/receipt.page.tsx';
import { printReceipt } from './receipt.service.ts';

export function posPageRoutes(app: AppInstance): void {
  app.get(
    '/pos/receipts/:saleId',
    { config: { access: { permission: 'pos.sale.read' } }, schema: { hide: true, params: z.object({ saleId: z.uuid() }) } },
    async (request, reply) => {
      const { sale, context } = await printReceipt(serviceContext(request), request.params.saleId, request.tenant?.name ?? '', 'html');
      return sendPage(reply, ReceiptPage({ sale, context, chrome: chrome(request, reply) }));
    },
  );
}
