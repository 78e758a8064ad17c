// The machine a benchmark ran on, for BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

export function describeMachine(): string {
  const pgVersion = (() => {
    try {
      return execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"], { encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  })();
  return `${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${pgVersion}`;
}

/** Replaces (or appends) the section between <!-- bench:name --> markers. */
export function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  return i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}
