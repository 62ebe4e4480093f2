import path from 'node:path';
import type { Config } from '../../config/index.ts';
import { fileEmailProvider, fileSmsProvider } from './file.provider.ts';
import type { NotifyProviders } from './port.ts';
import { smtpEmailProvider } from './smtp.provider.ts';
import { twilioSmsProvider } from './twilio.provider.ts';

export * from './port.ts';
export { fileEmailProvider, fileSmsProvider } from './file.provider.ts';
export { smtpEmailProvider } from './smtp.provider.ts';
export { twilioSmsProvider, TWILIO_UNSUBSCRIBED_RECIPIENT, type TwilioOptions } from './twilio.provider.ts';

/** The providers the configuration names: SMTP or .eml files for email, Twilio or .txt files for SMS. */
export function providersFromConfig(config: Pick<Config, 'dataDir' | 'notify'>): NotifyProviders {
  const folder = path.join(config.dataDir, 'notify');
  let email;
  if (config.notify.emailTransport === 'smtp') {
    if (!config.notify.smtpUrl) throw new Error('NOTIFY_EMAIL_TRANSPORT=smtp needs SMTP_URL (e.g. smtp://user:password@smtp.example.com:587).');
    email = smtpEmailProvider(config.notify.smtpUrl);
  } else email = fileEmailProvider(path.join(folder, 'email'));
  let sms;
  if (config.notify.smsTransport === 'twilio') {
    // loadConfig refuses twilio without its variables; this guards hand-made configs.
    if (!config.notify.twilio) throw new Error('NOTIFY_SMS_TRANSPORT=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.');
    sms = twilioSmsProvider(config.notify.twilio);
  } else sms = fileSmsProvider(path.join(folder, 'sms'));
  return { email, sms };
}
