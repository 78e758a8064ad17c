// Starts the suite's own PostgreSQL cluster and Redis once; at the end prints the table of what was
// injected and what was checked (and writes it to $FAULTS_REPORT when set), then removes them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { createCluster, destroyCluster, type ClusterInfo } from "./cluster.ts";
import { formatTable, type FaultRow } from "./report.ts";

declare module "vitest" {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await createCluster();
  project.provide("cluster", cluster);
  return async () => {
    const rows: FaultRow[] = existsSync(cluster.reportFile)
      ? readFileSync(cluster.reportFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
      : [];
    const table = formatTable(rows);
    process.stdout.write(`\nFault suite — injected → checked → result\n\n${table}\n`);
    if (process.env.FAULTS_REPORT) writeFileSync(process.env.FAULTS_REPORT, `${table}\n`);
    destroyCluster(cluster);
  };
}
