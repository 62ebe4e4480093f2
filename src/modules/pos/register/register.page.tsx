import { useContext } from 'preact/hooks';
import { Island } from '../../../web/islands/index.ts';
import { PageBannersContext } from '../../../web/layout.tsx';
import { REGISTER_CSS_PATH, REGISTER_ISLAND, type RegisterBootstrap } from './bootstrap.ts';
import { RegisterIsland } from './register.island.tsx';

interface Props {
  bootstrap: RegisterBootstrap;
  scriptUrl: string;
}

/** Announcements shrink to one line each: the till's screen belongs to the ticket. */
function SlimBanners() {
  const banners = useContext(PageBannersContext);
  if (banners.length === 0) return null;
  return (
    <section class="till-banners" aria-label="Announcements">
      {banners.map((banner) => (
        <p key={banner.id} class={`till-banner ${banner.severity}`} role={banner.severity === 'critical' ? 'alert' : 'status'} title={banner.body}>
          <strong>{banner.title}</strong> {banner.body}
        </p>
      ))}
    </section>
  );
}

/**
 * /pos/register: a full-screen till without the back-office header and menu (a way back sits in
 * the till's own bar), so products, ticket and pay buttons share the first screen of a tablet.
 */
export function RegisterPage({ bootstrap, scriptUrl }: Props) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Register · Plinth</title>
        <link rel="stylesheet" href="/assets/plinth.css" />
        <link rel="stylesheet" href={REGISTER_CSS_PATH} />
        <script type="module" src={scriptUrl} />
      </head>
      <body class="till-body">
        <main id="main" class="till">
          <SlimBanners />
          <noscript>
            <p class="alert error">
              The register needs JavaScript: it keeps each sale on this till until the server has it, so selling goes on while the network is down. Turn JavaScript on to sell
              here, or go <a href="/">back to the back office</a>.
            </p>
          </noscript>
          <Island name={REGISTER_ISLAND} component={RegisterIsland} props={bootstrap} />
        </main>
      </body>
    </html>
  );
}
