import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../support/app.ts';

export const PLATFORM = 'platform';
export const A = 'tenant-a';
export const B = 'tenant-b';
/** Small enough that an oversized file is cheap to build. */
export const MAX_BYTES = 4096;

export interface SupportTestApp extends TestApp {
  dataDir: string;
}

/** The full app with attachments on disk in a throw-away folder and a small size limit. */
export async function startSupportApp(): Promise<SupportTestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'plinth-support-'));
  const t = await startTestApp({ PLINTH_DATA_DIR: dataDir, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
  return {
    ...t,
    dataDir,
    close: async () => {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function as(t: TestApp, slug: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers: await t.headersFor(slug), ...(payload ? { payload } : {}) });
}

export interface TicketBody {
  id: string;
  tenantId: string;
  subject: string;
  body: string;
  priority: string;
  status: string;
  assigneeUserId: string | null;
  createdAt: string;
  sla: { firstResponseDueAt: string; firstRespondedAt: string | null; firstResponseBreached: boolean; resolutionDueAt: string; resolvedAt: string | null; resolutionBreached: boolean };
  messages: { id: string; side: string; internal: boolean; body: string }[];
  attachments: { id: string; messageId: string | null; fileName: string; contentType: string; sizeBytes: number; sha256: string }[];
}

export const file = (fileName: string, contentType: string, data: Buffer | string) => ({ fileName, contentType, contentBase64: Buffer.from(data).toString('base64') });

export async function openTicket(t: TestApp, slug: string, input: Record<string, unknown> = {}): Promise<TicketBody> {
  const response = await as(t, slug, 'POST', '/v1/support/tickets', { subject: 'Printer offline', body: 'The receipt printer stopped.', ...input });
  if (response.statusCode !== 201) throw new Error(`open ticket: ${response.statusCode} ${response.body}`);
  return (response.json() as { data: TicketBody }).data;
}

/** A multipart/form-data body as a browser sends it. */
export function multipart(fields: Record<string, string>, files: { name: string; fileName: string; contentType: string; data: Buffer | string }[] = []): { payload: Buffer; contentType: string } {
  const boundary = '----plinthTest7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.fileName}"\r\nContent-Type: ${f.contentType}\r\n\r\n`), Buffer.from(f.data), Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
