import type { Command } from '../cli/command.js';
import { validateCommand } from './validate.js';
import { versionCommand } from './version.js';

/** Every mpctl command, in help order. A new command is one file plus one line here. */
export const COMMANDS: readonly Command[] = [validateCommand, versionCommand];

export { validateCommand, versionCommand };
