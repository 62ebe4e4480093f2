import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { mailOptions, type EmailProvider, type OutgoingEmail, type OutgoingSms, type SentMessage, type SmsProvider } from './port.ts';

/** A name that sorts by time and names the delivery, safe on every file system. */
const fileName = (deliveryId: string, extension: string) => `${new Date().toISOString().replace(/[:.]/g, '-')}_${deliveryId}.${extension}`;

/** Development email: each message written as an .eml file (open it in any mail client). */
export function fileEmailProvider(folder: string): EmailProvider {
  return {
    name: 'file',
    async send(message: OutgoingEmail): Promise<SentMessage> {
      const messageId = `<${message.deliveryId}@plinth.local>`;
      const mail = new MailComposer(mailOptions(message, messageId));
      const raw = await mail.compile().build();
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, fileName(message.deliveryId, 'eml'));
      await writeFile(file, raw, { mode: 0o600 });
      return { providerMessageId: messageId };
    },
  };
}

/** Development SMS: each message written as a .txt file with its recipient on the first line. */
export function fileSmsProvider(folder: string): SmsProvider {
  return {
    name: 'file',
    async send(message: OutgoingSms): Promise<SentMessage> {
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, fileName(message.deliveryId, 'txt'));
      await writeFile(file, `To: ${message.to}\n\n${message.text}\n`, { mode: 0o600 });
      return { providerMessageId: `file:${path.basename(file)}` };
    },
  };
}
