/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The entry chunk holds antd's core (forms, layout, menu, css-in-js) for the login page
    // and the shell: about 220 kB gzipped. Pages and their heavier widgets load lazily.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      output: {
        // Stable vendor chunks cache well across releases; antd is left to Rollup so the
        // components only the lazily loaded pages use (Table, Tree, DatePicker) load with them.
        // Each catalogue is a chunk of its own: it changes with every screen's strings.
        manualChunks(id: string) {
          if (id.endsWith('/src/i18n/zh-CN.json')) return 'catalogue-zh-CN';
          if (id.endsWith('/src/i18n/en.json')) return 'catalogue-en';
          const vendor = id.split('node_modules/')[1];
          if (!vendor) return undefined;
          if (/^(react|react-dom|react-router|scheduler)\//.test(vendor)) return 'react';
          if (/^(@tanstack\/react-query|@tanstack\/query-core|openapi-fetch)\//.test(vendor)) return 'query';
          if (/^(i18next|react-i18next)\//.test(vendor)) return 'i18n';
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    testTimeout: 20_000,
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
