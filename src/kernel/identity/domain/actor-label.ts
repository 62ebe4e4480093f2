/** A stored actor label (kernel/context.ts actorLabel) taken apart: whose names a page must look up. */
export type ParsedActor =
  | { kind: 'user' | 'api'; userId: string }
  | { kind: 'device'; deviceId: string; staffUserId: string | null }
  | { kind: 'system'; process: string }
  | { kind: 'anonymous' }
  | { kind: 'unknown' };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PERSON = new RegExp(`^(user|api):(${UUID})$`, 'i');
const DEVICE = new RegExp(`^device:(${UUID})(?:/staff:(${UUID}))?$`, 'i');

export function parseActorLabel(label: string): ParsedActor {
  const person = PERSON.exec(label);
  if (person) return { kind: person[1] as 'user' | 'api', userId: person[2] as string };
  const device = DEVICE.exec(label);
  if (device) return { kind: 'device', deviceId: device[1] as string, staffUserId: device[2] ?? null };
  if (label.startsWith('system:')) return { kind: 'system', process: label.slice('system:'.length) };
  if (label === 'anonymous') return { kind: 'anonymous' };
  return { kind: 'unknown' };
}

/** Who acted, in words, given the names looked up (a person or terminal no longer there is said so, never shown by id). */
export function describeActor(actor: ParsedActor, users: ReadonlyMap<string, string>, devices: ReadonlyMap<string, string>): string {
  switch (actor.kind) {
    case 'user':
      return users.get(actor.userId) ?? 'A former user';
    case 'api':
      return `${users.get(actor.userId) ?? 'A former user'} (API token)`;
    case 'device': {
      const terminal = devices.get(actor.deviceId) ?? 'a removed terminal';
      return actor.staffUserId ? `${users.get(actor.staffUserId) ?? 'A former user'} at ${terminal}` : `Terminal ${terminal}`;
    }
    case 'system':
      return `Plinth (${actor.process.replace(/[-_]/g, ' ')})`;
    case 'anonymous':
      return 'Someone not signed in';
    case 'unknown':
      return 'Unknown';
  }
}
