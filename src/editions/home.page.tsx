import { Layout } from '../web/index.ts';

/** The public welcome page; signed-in people land on their dashboard instead. */
export function HomePage() {
  return (
    <Layout title="Welcome">
      <section class="hero">
        <h1>Run your shop, café or kitchen on Plinth</h1>
        <p class="lead">Point of sale, stock, reports and your team in one place, on any screen, for shops, cafés, kitchens and community networks.</p>
        <p class="button-row">
          <a class="button" href="/sign-in">
            Sign in
          </a>
          <a class="button secondary" href="/signup">
            Sign up your business
          </a>
        </p>
        <p>
          <a href="/docs">API documentation</a>
        </p>
      </section>
    </Layout>
  );
}
