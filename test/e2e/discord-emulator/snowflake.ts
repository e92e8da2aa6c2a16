import { randomBytes } from 'node:crypto';

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from here. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * Makes real-looking, strictly increasing snowflakes (17–19 digits). discord.js derives timestamps from ids and
 * compares them as BigInts, so a counter like "1", "2" would break sorting and `createdAt`.
 */
export function createSnowflakeFactory(): () => string {
  let lastMs = 0n;
  let increment = 0n;
  return () => {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH_MS;
    if (ms <= lastMs) {
      // Same millisecond (or a clock step back): keep ids unique and ordered by bumping the counter.
      ms = lastMs;
      increment += 1n;
      if (increment > 0xfffn) {
        ms += 1n;
        increment = 0n;
      }
    } else {
      increment = 0n;
    }
    lastMs = ms;
    // Worker 1, process 0: any constant works, Discord only guarantees uniqueness.
    return ((ms << 22n) | (1n << 17n) | increment).toString();
  };
}

/** An opaque URL-safe token, shaped like Discord's interaction tokens. */
export function randomToken(prefix: string): string {
  return `${Buffer.from(prefix).toString('base64url')}.${randomBytes(48).toString('base64url')}`;
}
