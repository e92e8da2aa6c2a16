/**
 * Discord's message limits, enforced the way Discord does (400 with code 50035 and a nested `errors` tree), so an
 * end-to-end test fails where production would, instead of passing against a too-lenient fake.
 */

export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

const MESSAGE_FLAG_COMPONENTS_V2 = 1 << 15;
const BUTTON_STYLE_LINK = 5;
const BUTTON_STYLE_PREMIUM = 6;
const COMPONENT_ACTION_ROW = 1;
const COMPONENT_BUTTON = 2;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function length(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

function tooLong(path: (string | number)[], max: number): FieldError {
  return { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` };
}

function checkEmbeds(embeds: unknown[], errors: FieldError[]): void {
  if (embeds.length > 10) errors.push(tooLong(['embeds'], 10));
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isRecord(embed)) return;
    const at = (...rest: (string | number)[]): (string | number)[] => ['embeds', i, ...rest];
    const limits: [unknown, number, (string | number)[]][] = [
      [embed.title, 256, at('title')],
      [embed.description, 4096, at('description')],
      [isRecord(embed.footer) ? embed.footer.text : undefined, 2048, at('footer', 'text')],
      [isRecord(embed.author) ? embed.author.name : undefined, 256, at('author', 'name')],
    ];
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25) errors.push(tooLong(at('fields'), 25));
    fields.forEach((field, j) => {
      if (!isRecord(field)) return;
      for (const key of ['name', 'value'] as const) {
        if (length(field[key]) === 0) {
          errors.push({ path: at('fields', j, key), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        }
      }
      limits.push([field.name, 256, at('fields', j, 'name')], [field.value, 1024, at('fields', j, 'value')]);
    });
    for (const [text, max, path] of limits) {
      const n = length(text);
      total += n;
      if (n > max) errors.push(tooLong(path, max));
    }
  });
  if (total > 6000) {
    const message = 'Embed size exceeds maximum size of 6000';
    errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message });
  }
}

function checkComponents(rows: unknown[], errors: FieldError[]): void {
  if (rows.length > 5) errors.push(tooLong(['components'], 5));
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isRecord(row) || row.type !== COMPONENT_ACTION_ROW) return;
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length === 0 || children.length > 5) {
      errors.push({
        path: ['components', i, 'components'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 5 in length.',
      });
    }
    children.forEach((child, j) => {
      if (!isRecord(child)) return;
      const at = (key: string): (string | number)[] => ['components', i, 'components', j, key];
      const customId = child.custom_id;
      const isButtonWithoutId =
        child.type === COMPONENT_BUTTON && (child.style === BUTTON_STYLE_LINK || child.style === BUTTON_STYLE_PREMIUM);
      if (!isButtonWithoutId) {
        if (typeof customId !== 'string' || customId.length === 0) {
          errors.push({ path: at('custom_id'), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        } else if (seen.has(customId)) {
          errors.push({
            path: at('custom_id'),
            code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
            message: 'Component custom id cannot be duplicated',
          });
        } else {
          seen.add(customId);
        }
      }
      if (length(customId) > 100) errors.push(tooLong(at('custom_id'), 100));
      if (child.type === COMPONENT_BUTTON && length(child.label) > 80) errors.push(tooLong(at('label'), 80));
      if (length(child.placeholder) > 150) errors.push(tooLong(at('placeholder'), 150));
      if (Array.isArray(child.options) && child.options.length > 25) errors.push(tooLong(at('options'), 25));
    });
  });
}

/** Turns flat field errors into Discord's `{ embeds: { 0: { title: { _errors: [...] } } } }` tree. */
function errorTree(errors: FieldError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of errors) {
    let node = root;
    for (const key of path) {
      const next = node[String(key)];
      node = isRecord(next) ? next : (node[String(key)] = {}) as Record<string, unknown>;
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    (list as unknown[]).push({ code, message });
  }
  return root;
}

/**
 * Checks a message body (channel post, interaction reply, follow-up or edit). `isNew` adds Discord's rule that a new
 * message needs something to show.
 */
export function checkMessageBody(body: unknown, isNew: boolean, fileCount = 0): DiscordErrorBody | null {
  if (!isRecord(body)) {
    return isNew ? { code: 50006, message: 'Cannot send an empty message' } : null;
  }
  const errors: FieldError[] = [];
  if (length(body.content) > 2000) errors.push(tooLong(['content'], 2000));
  // Discord: "integer or string, up to 25 characters".
  if (typeof body.nonce === 'string' && length(body.nonce) > 25) errors.push(tooLong(['nonce'], 25));
  if (Array.isArray(body.embeds)) checkEmbeds(body.embeds, errors);
  const isComponentsV2 = typeof body.flags === 'number' && (body.flags & MESSAGE_FLAG_COMPONENTS_V2) !== 0;
  if (Array.isArray(body.components) && !isComponentsV2) checkComponents(body.components, errors);
  if (errors.length > 0) return { code: 50035, message: 'Invalid Form Body', errors: errorTree(errors) };

  const hasSomething =
    length(body.content) > 0 ||
    (Array.isArray(body.embeds) && body.embeds.length > 0) ||
    (Array.isArray(body.components) && body.components.length > 0) ||
    (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
    (Array.isArray(body.attachments) && body.attachments.length > 0) ||
    body.poll !== undefined ||
    fileCount > 0;
  if (isNew && !hasSomething) return { code: 50006, message: 'Cannot send an empty message' };
  return null;
}
