import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCommand, type Command } from './command.js';

export const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/**
 * Loads every command in `commands/` (one file each, default export `{ data, execute }`). The bot and
 * `deploy-commands` both call this, so what is registered is what runs. A malformed file stops start-up.
 */
export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  const files = readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isCommand(module.default)) {
      throw new Error(`commands/${file} does not export default { data, execute }: fix the file or move it out of commands/.`);
    }
    const name = module.default.data.name;
    if (commands.has(name)) throw new Error(`Two files in commands/ define /${name}.`);
    commands.set(name, module.default);
  }
  return commands;
}
