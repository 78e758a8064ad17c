// Environment, parsed once at start. A missing or bad variable stops the process with one clear line.
import { z } from "zod";

// Every process loads this module first: zod's own messages (a schema without its French message) are French too,
// « Trop grand : chaîne de caractères doit avoir <=2000 caractères » rather than "Too big: …".
z.config(z.locales.fr());
// … and the common ones in plain words: « champ obligatoire » rather than « chaîne de caractères attendu, indéfini reçu ».
z.config({
  customError: (iss) => {
    const n = (v: unknown) => (typeof v === "bigint" || typeof v === "number" ? v.toLocaleString("fr-FR") : String(v));
    if (iss.code === "invalid_type" && iss.input === undefined) return "champ obligatoire";
    if (iss.code === "invalid_type" && iss.expected === "number" && typeof iss.input === "number") return "nombre invalide ou trop grand";
    if (iss.code === "too_small" && (iss.origin === "number" || iss.origin === "int" || iss.origin === "bigint")) return iss.inclusive === false ? `doit être plus grand que ${n(iss.minimum)}` : `doit être au moins ${n(iss.minimum)}`;
    if (iss.code === "too_big" && (iss.origin === "number" || iss.origin === "int" || iss.origin === "bigint")) return iss.inclusive === false ? `doit être plus petit que ${n(iss.maximum)}` : `doit être au plus ${n(iss.maximum)}`;
    if (iss.code === "too_small" && iss.origin === "string") return Number(iss.minimum) <= 1 ? "ne doit pas être vide" : `${n(iss.minimum)} caractères au moins`;
    if (iss.code === "too_big" && iss.origin === "string") return `${n(iss.maximum)} caractères au plus`;
    if (iss.code === "too_big" && iss.origin === "array") return `${n(iss.maximum)} éléments au plus`;
    if (iss.code === "invalid_value" && iss.values.length) return `valeur attendue : ${iss.values.map((v) => `« ${String(v)} »`).join(", ").replace(/, ([^,]*)$/, " ou $1")}`;
    return undefined;
  },
});

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    ROLE: z.enum(["all", "web", "worker"]).default("all"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default("postgresql://postgres@127.0.0.1:5432/orientation_mt"),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
    /** Prefix of every Redis key (BullMQ queues, rate limits, presence): several installations or test runs can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default("omt"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    PUBLIC_URL: z.url().optional(),
    /** SMTP server for the GP and team links, e.g. smtp://user:password@smtp.example.fr:587 (none: links are printed or copied). */
    SMTP_URL: z.url().optional(),
    SMTP_FROM: z.string().default("Orientation MT <ne-pas-repondre@orientation-mt.local>"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET doit faire au moins 32 caractères").optional(),
    /** Key for telephony credentials at rest (default: derived from SESSION_SECRET). */
    SECRETS_KEY: z.string().min(32, "SECRETS_KEY doit faire au moins 32 caractères").optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(10),
    DEMO: bool.optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    /** When set, /metrics answers only to "Authorization: Bearer <METRICS_TOKEN>" (for a deployment without a proxy that hides it). */
    METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN doit faire au moins 16 caractères").optional(),
    /** The installation's own admins (e-mails, comma-separated) who may watch the BullMQ queues, which carry every
     * organisation's jobs; unset: any admin outside production (the demo), nobody in production. */
    QUEUE_DASHBOARD_ADMINS: z.string().optional().transform((v) => (v ? v.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean) : undefined)),
    JSON_BODY_LIMIT: z.string().default("100kb"),
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    /** Largest listing accepted, in MB (a 500,000-row listing is about 60 MB). */
    UPLOAD_LIMIT_MB: z.coerce.number().positive().default(200),
    /** Twilio REST base URL override (tests: a local fake Twilio). */
    TWILIO_API_BASE: z.url().optional(),
    /** Calls placed per second per worker set (Twilio's default account allowance is 1). */
    TWILIO_CALLS_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
    /** Time scale of the simulated telephony (1 = real time; tests use a small factor). */
    SIMULATOR_SPEED: z.coerce.number().min(0).max(10).default(1),
    /** Simulator answer rates: person, voicemail, busy (the rest: no answer, a few failures). */
    SIMULATOR_RATES: z
      .string()
      .default("0.26,0.32,0.10")
      .transform((v) => v.split(",").map(Number))
      .pipe(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]))
      .transform(([human, voicemail, busy]) => ({ human, voicemail, busy })),
  })
  .transform((e, ctx) => {
    const production = e.NODE_ENV === "production";
    if (production && !e.SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "obligatoire en production" });
      return z.NEVER;
    }
    return {
      ...e,
      PUBLIC_URL: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
      SESSION_SECRET: e.SESSION_SECRET ?? "dev-only-secret-change-me-dev-only-secret",
      DEMO: e.DEMO ?? !production,
      LOG_LEVEL: e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "silent" : "info"),
    };
  });

export type Env = z.infer<typeof schema>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new EnvError(`Configuration invalide — ${lines.join("; ")}`);
}

export class EnvError extends Error {}

let cached: Env | undefined;
/** The parsed environment of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
