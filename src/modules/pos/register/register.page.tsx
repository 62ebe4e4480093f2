import { Island } from '../../../web/islands/index.ts';
import { Layout, type Chrome } from '../../../web/index.ts';
import { REGISTER_CSS_PATH, REGISTER_ISLAND, type RegisterBootstrap } from './bootstrap.ts';
import { RegisterIsland } from './register.island.tsx';

interface Props {
  chrome: Chrome;
  bootstrap: RegisterBootstrap;
  scriptUrl: string;
}

/** /pos/register: the register island inside the usual layout. */
export function RegisterPage({ chrome, bootstrap, scriptUrl }: Props) {
  return (
    <Layout title="Register" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken} scripts={[scriptUrl]}>
      <link rel="stylesheet" href={REGISTER_CSS_PATH} />
      <noscript>
        <p class="alert error">The register needs JavaScript: it keeps each sale on this till until the server has it, so selling goes on while the network is down. Turn JavaScript on to sell here.</p>
      </noscript>
      <Island name={REGISTER_ISLAND} component={RegisterIsland} props={bootstrap} />
    </Layout>
  );
}
