import "@picocss/pico/css/pico.min.css";
import "./console.css";
import { render } from "preact";
import { useRoute } from "./hooks.ts";
import { WalletBar } from "./wallet/wallet-bar.tsx";
import { ChainPage } from "./pages/chain.tsx";
import { NodesPage } from "./pages/nodes.tsx";
import { NodePage } from "./pages/node.tsx";
import { EarningsPage } from "./pages/earnings.tsx";
import { WatchersPage } from "./pages/watchers.tsx";
import { ContentsPage } from "./pages/contents.tsx";
import { JobsPage } from "./pages/jobs.tsx";
import { ProposalsPage } from "./pages/proposals.tsx";
import { ProposalPage } from "./pages/proposal.tsx";

const NAV: Array<[string, string]> = [
  ["chain", "Chain"], ["nodes", "PeerNodes"], ["earnings", "Earnings"], ["watchers", "Watchers"], ["contents", "Content"], ["jobs", "Jobs"], ["gov", "Governance"],
];

function Page({ route }: { route: string[] }) {
  const [page = "chain", id] = route;
  switch (page) {
    case "chain": return <ChainPage />;
    case "nodes": return id ? <NodePage id={id} /> : <NodesPage />;
    case "earnings": return <EarningsPage address={id} />;
    case "watchers": return <WatchersPage />;
    case "contents": return <ContentsPage />;
    case "jobs": return <JobsPage jobId={id} />;
    case "gov": return id ? <ProposalPage id={id} /> : <ProposalsPage />;
    default: return <p>No page “{page}”: <a href="#/chain">go to the chain</a>.</p>;
  }
}

function App() {
  const route = useRoute();
  const current = route[0] ?? "chain";
  return (
    <>
      <header class="container">
        <nav>
          <ul>
            <li><strong>Aro console</strong></li>
          </ul>
          <ul class="tabs">
            {NAV.map(([k, label]) => <li key={k}><a href={`#/${k}`} aria-current={current === k ? "page" : undefined}>{label}</a></li>)}
          </ul>
          <ul>
            <li><WalletBar /></li>
          </ul>
        </nav>
      </header>
      <main class="container">
        <Page route={route} />
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
