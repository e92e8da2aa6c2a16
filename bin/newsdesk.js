#!/usr/bin/env node
// `npx newsdesk …`: the command line, run as compiled JavaScript (see launch.js).
import { launch } from './launch.js';

await launch('src/cli', process.argv.slice(2), 'newsdesk-cli.mjs');
