import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: on a 2-core machine busy with other work, a test that spawns the command line or starts the bot
    // against the emulator can take several times its usual few seconds. Tests wait on events, never on these.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // nodejieba loads its dictionary once per worker (~1 s); two workers fit the 2-core CI box.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
