// npm run seed: the demo data, on the database of DATABASE_URL.
import { closeDb, db } from "../db.ts";
import { formatDemoUsers, seedDemo } from "./seedDemo.ts";

const { users } = await seedDemo(db());
console.log(formatDemoUsers(users));
await closeDb();
