import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The console: built into client/dist, served by the express server (and proxied to it in `vite dev`).
export default defineConfig({
  root: "client",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      "/api": "http://localhost:3000",
      "/healthz": "http://localhost:3000",
      "/socket.io": { target: "http://localhost:3000", ws: true },
    },
  },
});
