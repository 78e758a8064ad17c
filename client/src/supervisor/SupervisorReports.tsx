// The supervisor's reports: the coordinators' aggregates (no patient's name), under /supervision/rapports.
import { Link } from "react-router";
import { Layout } from "../shared/Layout.tsx";
import ReportsSpace from "../coordinator/reports/ReportsSpace.tsx";

export default function SupervisorReports() {
  return (
    <Layout title="Rapports">
      <p><Link to="/supervision">← Tableau de bord en direct</Link></p>
      <ReportsSpace base="/supervision/rapports" />
    </Layout>
  );
}
