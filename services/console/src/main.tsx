import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { AdAccounts } from './pages/ad-accounts.js';
import { CanvasBuilder } from './pages/canvas-builder.js';
import { CampaignWizard } from './pages/campaign-wizard.js';
import { CanvasPage } from './pages/canvas-page.js';
import { CanvasResults } from './pages/canvas-results.js';
import { Canvases } from './pages/canvases.js';
import { Segments } from './pages/segments.js';
import { SignIn } from './pages/sign-in.js';

const currentRoute = () => location.hash.replace(/^#/, '') || '/canvases';

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.key()));
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const follow = () => setRoute(currentRoute());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  // a page's own choices ride after '?' in the hash (#/ad-accounts?dryRun=…)
  const [path = route, query = ''] = route.split('?');
  const params = new URLSearchParams(query);
  const canvasId = /^\/canvases\/([0-9a-f-]{36})(?:\/dry-run)?$/.exec(route)?.[1];
  const editId = /^\/canvases\/([0-9a-f-]{36})\/edit$/.exec(route)?.[1];
  const resultsId = /^\/canvases\/([0-9a-f-]{36})\/results$/.exec(route)?.[1];
  const page = canvasId ? (
    <CanvasPage key={route} id={canvasId} dryRun={route.endsWith('/dry-run')} />
  ) : resultsId ? (
    <CanvasResults id={resultsId} />
  ) : editId || route === '/canvases/new' ? (
    <CanvasBuilder id={editId} />
  ) : route === '/campaigns/new' ? (
    <CampaignWizard />
  ) : path === '/ad-accounts' ? (
    <AdAccounts dryRunId={params.get('dryRun') ?? undefined} account={params.get('account') ?? undefined} />
  ) : route === '/segments' ? (
    <Segments />
  ) : (
    <Canvases />
  );
  return (
    <>
      <header>
        <nav aria-label="Main">
          <a href="#/canvases" aria-current={route.startsWith('/canvases') ? 'page' : undefined}>
            Canvases
          </a>
          <a href="#/segments" aria-current={route === '/segments' ? 'page' : undefined}>
            Segments
          </a>
          <a href="#/ad-accounts" aria-current={path === '/ad-accounts' ? 'page' : undefined}>
            Ad accounts
          </a>
        </nav>
        <button
          type="button"
          onClick={() => {
            session.signOut();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
