import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: www/dist works from any static host and any sub-path.
  base: "./",
  // The worker imports idemsql, whose browser entry loads the .wasm with top-level await.
  worker: { format: "es" },
  build: { target: "es2022", chunkSizeWarningLimit: 1024 },
  // The .wasm sits next to idemsql's JavaScript (new URL(..., import.meta.url)); pre-bundling
  // would move the JavaScript away from it.
  optimizeDeps: { exclude: ["idemsql"] },
  server: { fs: { allow: [".."] } },
});
