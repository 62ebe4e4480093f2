import type { ComponentChildren } from 'preact';
import { Layout, type Chrome } from '../../../web/index.ts';

/** Console and sign-up pages share the app layout with this actor's chrome. */
export function Page({ title, children }: { title: string; chrome: Chrome; children: ComponentChildren }) {
  return (
    <Layout title={title}>
      {children}
    </Layout>
  );
}

/** The kit's multi-line field, where this module's pages have always taken it from. */
export { TextArea } from '../../../web/index.ts';
