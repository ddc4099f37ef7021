import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
          // The stub appends the bundle's <script>; unit tests run the bundle's code themselves.
          environmentOptions: { happyDOM: { settings: { disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true } } },
        },
      },
      {
        // Checks of build output and servers, in plain Node. Some start tsc or the relay as processes, which a
        // loaded two-core machine makes slow: time is never what these tests judge.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 30000 },
      },
      {
        // One Chromium per file, files one after another: the machine has two cores and the scenarios time navigations.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/browser-setup.mjs'],
          testTimeout: 60000,
          hookTimeout: 60000,
          fileParallelism: false,
        },
      },
    ],
  },
});
