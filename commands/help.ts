import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { NO_PINGS } from '../src/discord/reply.js';

const data = new SlashCommandBuilder()
  .setName('help')
  .setNameLocalizations({ 'zh-CN': '帮助', 'zh-TW': '幫助' })
  .setDescription('What newsdesk can do')
  .setDescriptionLocalizations({ 'zh-CN': 'newsdesk 能做什么', 'zh-TW': 'newsdesk 能做什麼' });

export const HELP_TEXT = [
  '**newsdesk** answers questions about the news it has indexed, quoting the passages and their sources.',
  '`/ask question:<text>`: the best passages, matched words in bold; **More** pages on. `hide:true` answers only you; `source:` keeps one outlet.',
  '`/sources`: the outlets indexed. `/latest [source]`: the newest headlines.',
  'Answers are quotes from the articles, never made up. 回答均引自新闻原文并注明出处。',
].join('\n');

async function execute(interaction: ChatInputCommandInteraction): Promise<string> {
  await interaction.reply({ content: HELP_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  return 'ok';
}

export default { data, execute } satisfies Command;
