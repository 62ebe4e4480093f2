import { DashboardCard, Layout, type LoadedCard, type NavLink } from '../web/index.ts';

interface Props {
  /** The business's name, or null for someone who works in no business yet. */
  businessName: string | null;
  console: boolean;
  cards: readonly LoadedCard[];
  action: NavLink | undefined;
}

/** Where signed-in people land: the cards of their business (or of the platform console). */
export function DashboardPage({ businessName, console, cards, action }: Props) {
  if (businessName === null)
    return (
      <Layout title="Welcome">
        <div class="empty-state">
          <h1>You are not working in a business yet</h1>
          <p>Accept an invitation from a business owner, or sign up your own business. A business you signed up can be used once the platform team approves it.</p>
          <p class="button-row">
            <a class="button" href="/signup">
              Sign up your business
            </a>
            <a class="button secondary" href="/account">
              Your account
            </a>
          </p>
        </div>
      </Layout>
    );
  const title = console ? 'Platform console' : 'Dashboard';
  return (
    <Layout title={title} {...(action ? { action } : {})}>
      <h1>
        {title}
        <span class="subtitle">{businessName}</span>
      </h1>
      {cards.length === 0 ? (
        <div class="empty-state">
          <p>Nothing to show here yet: your role does not include any of this business's overviews.</p>
          <a class="button secondary" href="/account">
            Your account
          </a>
        </div>
      ) : (
        <div class="dashboard">
          {cards.map((card) => (
            <DashboardCard key={card.id} card={card} />
          ))}
        </div>
      )}
    </Layout>
  );
}
