import { Layout, type NavLink } from '../web/index.ts';

export interface TenantChoice {
  slug: string;
  name: string;
  edition: string;
}

interface Props {
  tenants: TenantChoice[];
  demo: boolean;
  next: string;
  nav: NavLink[];
  tenantName: string | undefined;
}

export function HomePage({ tenants, demo, next, nav, tenantName }: Props) {
  return (
    <Layout title="Welcome" nav={nav} tenantName={tenantName}>
      <h1>Plinth</h1>
      <p>One platform for shops, cafés, kitchens and community networks.</p>
      {demo ? (
        <>
          <h2>Open a demo business</h2>
          <ul class="cards">
            {tenants.map((tenant) => (
              <li class="card" key={tenant.slug}>
                <h3>{tenant.name}</h3>
                <p class="muted">Edition: {tenant.edition}</p>
                <form method="post" action="/tenant/select">
                  <input type="hidden" name="slug" value={tenant.slug} />
                  <input type="hidden" name="next" value={next} />
                  <button class="button" type="submit" aria-label={`Open ${tenant.name}`}>
                    Open
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">Ask your administrator for the address of your business.</p>
      )}
      <p>
        <a href="/docs">API documentation</a>
      </p>
    </Layout>
  );
}
