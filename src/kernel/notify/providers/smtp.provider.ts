import nodemailer from 'nodemailer';
import { mailOptions, PermanentDeliveryError, type EmailProvider, type OutgoingEmail, type SentMessage } from './port.ts';

/** Email through an SMTP server (`smtp://` or `smtps://user:pass@host:port`), one pooled connection set per process. */
export function smtpEmailProvider(url: string): EmailProvider {
  const transport = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(message: OutgoingEmail): Promise<SentMessage> {
      try {
        const info = await transport.sendMail(mailOptions(message, `<${message.deliveryId}@plinth>`));
        if (info.accepted.length === 0) throw new PermanentDeliveryError(`the server accepted no recipient: ${info.response}`);
        return { providerMessageId: info.messageId };
      } catch (error) {
        // 5xx SMTP replies (unknown mailbox, rejected content) will not change on a retry.
        const code = (error as { responseCode?: number }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600) throw new PermanentDeliveryError((error as Error).message);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
