/** How a failed send should be handled; the Discord adapter maps API errors onto these. */
export type SendFailureKind =
  /** Rate limit or server error: try again later. */
  | 'retry'
  /** The bot lost a permission it needs in the channel. */
  | 'forbidden'
  /** The channel no longer exists (or the bot left the guild). */
  | 'gone';

export class SendFailure extends Error {
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    /** What the platform itself said (e.g. "Missing Permissions"), for notices written in another language. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}
