/** "2026-11-02 09:00 UTC": the server does not know the reader's time zone, so it says which one it uses. */
export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{`${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`}</time>;
}
