import type { Interaction, LocalizationMap } from 'discord.js';
import { pickLocale, translator, type Locale, type Translate } from '../i18n/i18n.js';

/**
 * The language to answer an interaction in: the member's Discord language (`locale`), then the server's
 * (`guild_locale`, its preferred locale), then English.
 */
export function interactionLocale(interaction: Pick<Interaction, 'locale' | 'guildLocale'>): Locale {
  return pickLocale(interaction.locale, interaction.guildLocale);
}

/** The translator for an interaction's language (see {@link interactionLocale}). */
export function tFor(interaction: Pick<Interaction, 'locale' | 'guildLocale'>): Translate {
  return translator(interactionLocale(interaction));
}

const en = translator('en');
const zhCN = translator('zh-CN');
const zhTW = translator('zh-TW');

/** A catalogue entry as Discord's localisation map for command data (English is the default text). */
export function localizations(key: string, values?: Record<string, unknown>): LocalizationMap {
  return { 'zh-CN': zhCN(key, values), 'zh-TW': zhTW(key, values) };
}

interface Nameable {
  setName(name: string): unknown;
  setNameLocalizations(map: LocalizationMap): unknown;
  setDescription(description: string): unknown;
  setDescriptionLocalizations(map: LocalizationMap): unknown;
}

/**
 * Names and describes a command, subcommand or option from the catalogue (`<key>.name`, `<key>.description`) in
 * every language, so command data and replies come from the same place.
 */
export function named<B extends Nameable>(builder: B, key: string, values?: Record<string, unknown>): B {
  builder.setName(en(`${key}.name`));
  builder.setNameLocalizations(localizations(`${key}.name`));
  builder.setDescription(en(`${key}.description`, values));
  builder.setDescriptionLocalizations(localizations(`${key}.description`, values));
  return builder;
}

/** A fixed choice of a string option, its name in every language. */
export function choice(key: string, value: string): { name: string; name_localizations: LocalizationMap; value: string } {
  return { name: en(key), name_localizations: localizations(key), value };
}
