import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // CI=false: Ink renders only the last frame when it believes it runs in CI, and the TUI tests read live frames.
    env: { TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0', CI: 'false' },
  },
});
